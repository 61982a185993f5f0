import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from './ids.js';
import { createEventStore, type EventStore } from './store.js';
import { createTestEventStoreDatabase } from './test-store.js';
import type { EventMetadata, OutboxMessage } from './types.js';

let db: Awaited<ReturnType<typeof createTestEventStoreDatabase>>;
let store: EventStore;
/** Writes schema version 1, which `store` reads upcast. */
let v1Writer: EventStore;
const meta = (): EventMetadata => ({
  tenantId: newId(),
  actor: { id: newId(), role: 'front_desk' },
  correlationId: newId(),
});
const inc = (by: number) => ({ type: 'CounterIncremented', data: { by } });
const outboxCount = async (keys: string[]) =>
  (
    await db.appPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${db.schema}.outbox WHERE message_key = ANY($1::text[])`,
      [keys],
    )
  ).rows[0]!.n;

beforeAll(async () => {
  db = await createTestEventStoreDatabase();
  v1Writer = createEventStore(db.appPool, { schema: db.schema });
  store = createEventStore(db.appPool, {
    schema: db.schema,
    upcasters: { CounterIncremented: { 1: (d) => ({ ...(d as object), upcast: true }) } },
    toOutbox: ({ event, eventId, streamId }): OutboxMessage => ({
      messageId: eventId,
      topic: 'medspa.es_test.events.v1',
      key: streamId,
      type: `medspa.es_test.v1.${event.type}`,
      payload: new Uint8Array([1]),
      headers: {},
    }),
  });
});
afterAll(async () => db?.drop());

describe('readStreams', () => {
  it('reads several streams in one query, upcast, in version order, empty ones included', async () => {
    const [a, b, none] = [`c-${newId()}`, `c-${newId()}`, `c-${newId()}`];
    await v1Writer.append(a, 'counter', 'no_stream', [inc(1), inc(2)], meta());
    await v1Writer.append(b, 'counter', 'no_stream', [inc(3)], meta());
    const read = await store.readStreams([b, none, a, a]);
    expect([...read.keys()]).toEqual([b, none, a]);
    expect(read.get(a)!.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { by: 1, upcast: true }],
      [2, { by: 2, upcast: true }],
    ]);
    expect(read.get(b)!.map((e) => e.data)).toEqual([{ by: 3, upcast: true }]);
    expect(read.get(none)).toEqual([]);
    expect(await store.readStream(a)).toEqual(read.get(a));
    expect((await store.readStreams([])).size).toBe(0);
  });
});

describe('appendStreams', () => {
  it('appends to several streams in one statement, each at its version, with outbox messages', async () => {
    const [a, b] = [`c-${newId()}`, `c-${newId()}`];
    await store.append(a, 'counter', 'no_stream', [inc(1)], meta());
    const results = await store.appendStreams(
      [
        { streamId: b, streamType: 'counter', expectedVersion: 'no_stream', events: [inc(5), inc(6)] },
        { streamId: a, streamType: 'counter', expectedVersion: 1, events: [inc(2)] },
      ],
      meta(),
    );
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2]);
    expect(results[0]!.globalPositions).toHaveLength(2);
    const read = await store.readStreams([a, b]);
    expect(read.get(a)!.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(read.get(b)!.map((e) => e.streamVersion)).toEqual([1, 2]);
    expect(read.get(b)![0]!.streamType).toBe('counter');
    expect(await outboxCount([a, b])).toBe(4);
  });

  it('writes nothing when any one stream is not at its expected version', async () => {
    const [a, b] = [`c-${newId()}`, `c-${newId()}`];
    await store.append(a, 'counter', 'no_stream', [inc(1), inc(1)], meta());
    await expect(
      store.appendStreams(
        [
          { streamId: a, streamType: 'counter', expectedVersion: 1, events: [inc(2)] },
          { streamId: b, streamType: 'counter', expectedVersion: 'no_stream', events: [inc(3)] },
        ],
        meta(),
      ),
    ).rejects.toMatchObject({ reason: 'STREAM_VERSION_CONFLICT' });
    const read = await store.readStreams([a, b]);
    expect(read.get(a)).toHaveLength(2);
    expect(read.get(b)).toEqual([]);
    expect(await outboxCount([b])).toBe(0);
  });

  it('lets exactly one of many racing writers on a shared stream win', async () => {
    const shared = `c-${newId()}`;
    await store.append(shared, 'counter', 'no_stream', [inc(1)], meta());
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        store.appendStreams(
          [
            {
              streamId: `c-${newId()}`,
              streamType: 'counter',
              expectedVersion: 'no_stream',
              events: [inc(1)],
            },
            { streamId: shared, streamType: 'counter', expectedVersion: 1, events: [inc(1)] },
          ],
          meta(),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ reason: 'STREAM_VERSION_CONFLICT' });
    }
    expect((await store.readStream(shared)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('treats a retry with the same event ids as a replay, and refuses ids reused elsewhere', async () => {
    const [a, b] = [`c-${newId()}`, `c-${newId()}`];
    const ids = [newId(), newId()];
    const append = () =>
      store.appendStreams(
        [
          {
            streamId: a,
            streamType: 'counter',
            expectedVersion: 'no_stream',
            events: [inc(1)],
            eventIds: [ids[0]!],
          },
          {
            streamId: b,
            streamType: 'counter',
            expectedVersion: 'no_stream',
            events: [inc(2)],
            eventIds: [ids[1]!],
          },
        ],
        meta(),
      );
    const first = await append();
    const again = await append();
    expect(again.map((r) => r.idempotentReplay)).toEqual([true, true]);
    expect(again.map((r) => r.globalPositions)).toEqual(first.map((r) => r.globalPositions));
    await expect(
      store.appendStreams(
        [
          {
            streamId: `c-${newId()}`,
            streamType: 'counter',
            expectedVersion: 'no_stream',
            events: [inc(1)],
            eventIds: [ids[0]!],
          },
        ],
        meta(),
      ),
    ).rejects.toMatchObject({ reason: 'EVENT_ID_REUSED' });
  });

  it('refuses a stream given twice and writes nothing for an all-empty append', async () => {
    const a = `c-${newId()}`;
    await expect(
      store.appendStreams(
        [
          { streamId: a, streamType: 'counter', expectedVersion: 'any', events: [inc(1)] },
          { streamId: a, streamType: 'counter', expectedVersion: 'any', events: [inc(1)] },
        ],
        meta(),
      ),
    ).rejects.toMatchObject({ reason: 'STREAM_REPEATED' });
    expect(
      await store.appendStreams(
        [{ streamId: a, streamType: 'counter', expectedVersion: 'no_stream', events: [] }],
        meta(),
      ),
    ).toEqual([{ nextExpectedVersion: 0, globalPositions: [], eventIds: [], idempotentReplay: false }]);
    expect(await store.readStream(a)).toEqual([]);
  });
});
