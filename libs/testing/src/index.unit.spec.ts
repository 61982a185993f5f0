import { describe, expect, it } from 'vitest';
import * as testing from './index.js';

describe('@medspa/testing public API', () => {
  it('loads outside the int tier and exports the harness, but not the global setup', () => {
    for (const name of [
      'createTestDatabase',
      'makeCanaries',
      'scanPostgres',
      'scanKafkaTopics',
      'captureLogs',
    ]) {
      expect(typeof (testing as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(testing).not.toHaveProperty('default');
  });

  it('explains that infrastructure addresses exist only in the int and e2e tiers', () => {
    expect(() => testing.kafkaBrokers()).toThrow(/int and e2e projects/);
  });
});
