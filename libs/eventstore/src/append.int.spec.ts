import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AppendConditionUnmet } from './append.js';
import { handleCommand } from './command-handler.js';
import { counter } from './fixtures/counter.js';
import { newId } from './ids.js';
import { createEventStore, type EventStore } from './store.js';
import { createTestEventStoreDatabase } from './test-store.js';
import type { EventMetadata, OutboxMessage } from './types.js';

let db: Awaited<ReturnType<typeof createTestEventStoreDatabase>>;
let store: EventStore;
const tenantA = newId();
const meta = (tenantId = tenantA): EventMetadata => ({
  tenantId,
  actor: { id: newId(), role: 'front_desk' },
  correlationId: newId(),
});
const count = async (table: string, streamId: string) =>
  (
    await db.appPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${db.schema}.${table} WHERE ${table === 'events' ? 'stream_id' : 'message_key'} = $1`,
      [streamId],
    )
  ).rows[0]!.n;

beforeAll(async () => {
  db = await createTestEventStoreDatabase();
  store = createEventStore(db.appPool, {
    schema: db.schema,
    toOutbox: ({ event, eventId, streamId }): OutboxMessage => ({
      messageId: eventId,
      topic: 'medspa.es_test.events.v1',
      key: streamId,
      type: `medspa.es_test.v1.${event.type}`,
      payload: new Uint8Array([1, 2, 3]),
      headers: { 'event-id': eventId },
    }),
  });
});
afterAll(async () => db?.drop());

describe('append and read', () => {
  it('appends events with gapless versions, metadata and outbox messages in one statement', async () => {
    const s = `counter-${newId()}`;
    const m = meta();
    const r1 = await store.append(
      s,
      'counter',
      'no_stream',
      [{ type: 'CounterIncremented', data: { by: 1 } }],
      m,
    );
    const r2 = await store.append(
      s,
      'counter',
      1,
      [
        { type: 'CounterIncremented', data: { by: 2 } },
        { type: 'CounterIncremented', data: { by: 3 } },
      ],
      m,
    );
    expect(r1.nextExpectedVersion).toBe(1);
    expect(r2.nextExpectedVersion).toBe(3);
    const events = await store.readStream(s);
    expect(events.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { by: 1 }],
      [2, { by: 2 }],
      [3, { by: 3 }],
    ]);
    expect(events[0]!.metadata).toEqual(m);
    expect(events.map((e) => e.globalPosition)).toEqual([...r1.globalPositions, ...r2.globalPositions]);
    expect(await count('outbox', s)).toBe(3);
  });

  it('refuses a stale expected version and writes nothing, outbox included', async () => {
    const s = `counter-${newId()}`;
    await store.append(s, 'counter', 'no_stream', [{ type: 'CounterIncremented', data: { by: 1 } }], meta());
    for (const stale of [0, 2, 'no_stream'] as const) {
      await expect(
        store.append(s, 'counter', stale, [{ type: 'CounterIncremented', data: { by: 9 } }], meta()),
      ).rejects.toMatchObject({ kind: 'conflict', reason: 'STREAM_VERSION_CONFLICT' });
    }
    expect(await count('events', s)).toBe(1);
    expect(await count('outbox', s)).toBe(1);
  });

  it('writes only when its condition holds, atomically with what the condition wrote', async () => {
    // A condition with a side effect, as a new patient's key is: a claim that succeeds once.
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    await owner.query(`CREATE TABLE IF NOT EXISTS ${db.schema}.claims (id text PRIMARY KEY)`);
    await owner.query(`CREATE OR REPLACE FUNCTION ${db.schema}.claim(p text) RETURNS boolean LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ${db.schema}.claims VALUES (p) ON CONFLICT DO NOTHING; RETURN FOUND; END $$`);
    await owner.query(`GRANT SELECT, INSERT ON ${db.schema}.claims TO ${db.schema}_app`);
    await owner.end();
    const claim = (id: string) => ({
      name: 'claim',
      sql: (n: number) => `${db.schema}.claim($${n})`,
      values: [id],
    });
    const claimed = async (id: string) =>
      (await db.appPool.query(`SELECT 1 FROM ${db.schema}.claims WHERE id = $1`, [id])).rowCount;
    const one = [{ type: 'CounterIncremented', data: { by: 1 } }];
    const [a, b, c] = [`counter-${newId()}`, `counter-${newId()}`, `counter-${newId()}`];
    const first = await store.append(a, 'counter', 'no_stream', one, meta(), { onlyIf: claim(a) });
    expect(first.nextExpectedVersion).toBe(1);
    // The claim is taken: another stream's append with it writes nothing, outbox included.
    await expect(
      store.append(b, 'counter', 'no_stream', one, meta(), { onlyIf: claim(a) }),
    ).rejects.toBeInstanceOf(AppendConditionUnmet);
    expect([await count('events', b), await count('outbox', b)]).toEqual([0, 0]);
    // A statement that fails rolls back the condition's write with it.
    const eventIds = [newId()];
    await store.append(c, 'counter', 'no_stream', one, meta(), { eventIds });
    await expect(
      store.append(b, 'counter', 'no_stream', one, meta(), { eventIds, onlyIf: claim(b) }),
    ).rejects.toMatchObject({ reason: 'EVENT_ID_REUSED' });
    expect(await claimed(b)).toBe(0);
    // A true condition does not hide a stale version.
    await expect(
      store.append(a, 'counter', 'no_stream', one, meta(), { onlyIf: claim(newId()) }),
    ).rejects.toMatchObject({ reason: 'STREAM_VERSION_CONFLICT' });
    expect(await count('events', a)).toBe(1);
  });

  it('lets exactly one of two concurrent appends at the same version win', async () => {
    for (let round = 0; round < 20; round++) {
      const s = `counter-${newId()}`;
      const results = await Promise.allSettled(
        [1, 2].map((by) =>
          store.append(s, 'counter', 'no_stream', [{ type: 'CounterIncremented', data: { by } }], meta()),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')[0]).toMatchObject({
        reason: { reason: 'STREAM_VERSION_CONFLICT' },
      });
      expect(await count('events', s)).toBe(1);
      expect(await count('outbox', s)).toBe(1);
    }
  });

  it('treats a retried append with the same event ids as done, and refuses reused ids elsewhere', async () => {
    const s = `counter-${newId()}`;
    const ids = [newId(), newId()];
    const events = [
      { type: 'CounterIncremented', data: { by: 1 } },
      { type: 'CounterIncremented', data: { by: 2 } },
    ];
    const first = await store.append(s, 'counter', 'no_stream', events, meta(), { eventIds: ids });
    const retry = await store.append(s, 'counter', 'no_stream', events, meta(), { eventIds: ids });
    expect(retry).toMatchObject({ idempotentReplay: true, nextExpectedVersion: 2, eventIds: ids });
    expect(retry.globalPositions).toEqual(first.globalPositions);
    expect(await count('events', s)).toBe(2);
    await expect(
      store.append(`counter-${newId()}`, 'counter', 'no_stream', events.slice(0, 1), meta(), {
        eventIds: [ids[0]!],
      }),
    ).rejects.toMatchObject({ reason: 'EVENT_ID_REUSED' });
  });

  it('reads a stream as it stood at an instant', async () => {
    const s = `counter-${newId()}`;
    await store.append(s, 'counter', 'any', [{ type: 'CounterIncremented', data: { by: 1 } }], meta());
    const [first] = await store.readStream(s);
    await new Promise((r) => setTimeout(r, 20));
    await store.append(s, 'counter', 'any', [{ type: 'CounterIncremented', data: { by: 5 } }], meta());
    const then = await store.aggregateStream(s, counter, { asOf: first!.recordedAt });
    const nowState = await store.aggregateStream(s, counter);
    expect(then).toMatchObject({ state: { value: 1 }, version: 1 });
    expect(nowState).toMatchObject({ state: { value: 6 }, version: 2 });
  });
});

describe('command handler', () => {
  it('retries a conflicting command on fresh state until both concurrent commands land', async () => {
    const s = `counter-${newId()}`;
    const runs = await Promise.all(
      Array.from({ length: 6 }, () =>
        handleCommand(store, counter, {
          streamId: s,
          streamType: 'counter',
          command: { type: 'Increment', by: 1 },
          metadata: meta(),
        }),
      ),
    );
    expect(runs.map((r) => r.nextExpectedVersion).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.aggregateStream(s, counter)).state.value).toBe(6);
  });

  it('reports business failures without writing and hides another tenant’s stream', async () => {
    const s = `counter-${newId()}`;
    await handleCommand(store, counter, {
      streamId: s,
      streamType: 'counter',
      command: { type: 'Increment', by: 100 },
      metadata: meta(),
    });
    await expect(
      handleCommand(store, counter, {
        streamId: s,
        streamType: 'counter',
        command: { type: 'Increment', by: 1 },
        metadata: meta(),
      }),
    ).rejects.toMatchObject({ kind: 'precondition', reason: 'COUNTER_LIMIT' });
    await expect(
      handleCommand(store, counter, {
        streamId: s,
        streamType: 'counter',
        command: { type: 'Reset' },
        metadata: meta(newId()),
      }),
    ).rejects.toMatchObject({ kind: 'not_found', reason: 'STREAM_NOT_FOUND' });
    expect(await count('events', s)).toBe(1);
  });

  it('reports a stale client version as a conflict without retrying', async () => {
    const s = `counter-${newId()}`;
    await handleCommand(store, counter, {
      streamId: s,
      streamType: 'counter',
      command: { type: 'Increment', by: 1 },
      metadata: meta(),
    });
    await expect(
      handleCommand(store, counter, {
        streamId: s,
        streamType: 'counter',
        command: { type: 'Increment', by: 1 },
        metadata: meta(),
        expectedVersion: 0,
      }),
    ).rejects.toMatchObject({ reason: 'STALE_VERSION' });
  });
});
