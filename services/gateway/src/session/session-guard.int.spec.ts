import { redisUrl, testRedisPrefix } from '@medspa/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSessionGuard } from './session-guard.js';

const minute = 60_000;
const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
afterAll(async () => void (await redis.quit()));

describe('session guard (Redis)', () => {
  it('logs off after 15 idle minutes, also when Redis has forgotten the script (EVALSHA → EVAL)', async () => {
    const clock = { now: 1_000_000 };
    const g = createRedisSessionGuard(redis, {
      idleMs: 15 * minute,
      retainMs: 24 * 60 * minute,
      now: () => clock.now,
      prefix: testRedisPrefix(),
    });
    await redis.script('FLUSH');
    expect(await g.admit('s1')).toBe('active');
    clock.now += 15 * minute;
    expect(await g.admit('s1')).toBe('active');
    await redis.script('FLUSH');
    clock.now += 15 * minute + 1;
    expect(await g.admit('s1')).toBe('idle');
    expect(await g.admit('s1')).toBe('idle');
    await g.revoke('s2', minute);
    expect(await g.admit('s2')).toBe('revoked');
  });
});
