import { describe, expect, it } from 'vitest';
import { parseRedriveArgs } from './redrive.js';

describe('redrive CLI arguments', () => {
  it('reads a Kafka re-drive, brokers from the environment', () => {
    expect(
      parseRedriveArgs(['kafka', '--topic', 'medspa.x.events.v1', '--group', 'audit'], {
        KAFKA_BROKERS: 'k:9092',
      }),
    ).toEqual({
      transport: 'kafka',
      topic: 'medspa.x.events.v1',
      groupId: 'audit',
      brokers: 'k:9092',
    });
  });

  it('reads a Postgres re-drive of some messages', () => {
    expect(
      parseRedriveArgs(
        [
          'postgres',
          '--schema',
          'audit',
          '--group',
          'g',
          '--database-url',
          'postgres://x',
          '--message-id',
          'a',
          '--message-id',
          'b',
        ],
        {},
      ),
    ).toEqual({
      transport: 'postgres',
      schema: 'audit',
      groupId: 'g',
      databaseUrl: 'postgres://x',
      messageIds: ['a', 'b'],
    });
  });

  it('says what is missing', () => {
    expect(() => parseRedriveArgs(['kafka', '--group', 'g'], {})).toThrow('missing --topic');
    expect(() => parseRedriveArgs(['rabbit', '--group', 'g'], {})).toThrow('usage');
  });
});
