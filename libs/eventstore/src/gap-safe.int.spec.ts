import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from './ids.js';
import { createEventStore, type EventStore } from './store.js';
import { createTestEventStoreDatabase } from './test-store.js';
import { START, type Checkpoint, type EventMetadata } from './types.js';

// A reader of rare stream types must not rescan everything written since its last event on every
// poll, and must never skip a late-committing event of its types.

let db: Awaited<ReturnType<typeof createTestEventStoreDatabase>>;
let store: EventStore;
const meta: EventMetadata = {
  tenantId: newId(),
  actor: { id: newId(), role: 'front_desk' },
  correlationId: newId(),
};
const bump = { type: 'CounterIncremented', data: { by: 1 } };

/** A new stream of `streamType` with `count` events; its id. */
async function appendTo(
  streamType: string,
  count = 1,
  options?: Parameters<EventStore['append']>[5],
): Promise<string> {
  const streamId = `${streamType}-${newId()}`;
  const events = Array.from({ length: count }, () => bump);
  await store.append(streamId, streamType, 0, events, meta, options);
  return streamId;
}

/** The checkpoint of the last event in the log (what an unfiltered reader reaches). */
async function headOfLog(): Promise<Checkpoint> {
  let checkpoint = START;
  for (;;) {
    const batch = await store.readAll(checkpoint, { limit: 1000 });
    if (batch.events.length === 0) return checkpoint;
    checkpoint = batch.checkpoint;
  }
}

beforeAll(async () => {
  db = await createTestEventStoreDatabase('es_gap_safe');
  store = createEventStore(db.appPool, { schema: db.schema });
});
afterAll(async () => db?.drop());

describe('filtered gap-safe reads', () => {
  it('move past the rows that failed the filter when nothing was cut short', async () => {
    const rare = await appendTo('rare');
    for (let i = 0; i < 5; i++) await appendTo('busy', 2);

    const first = await store.readAll(START, { streamTypes: ['rare'], limit: 10 });
    expect(first.events.map((e) => e.streamId)).toEqual([rare]);
    expect(first.checkpoint).toEqual(await headOfLog());

    const again = await store.readAll(first.checkpoint, { streamTypes: ['rare'], limit: 10 });
    expect(again.events).toEqual([]);
    expect(again.checkpoint).toEqual(first.checkpoint);
  });

  it('stop at the last delivered row when the limit cut the batch short', async () => {
    const from = await headOfLog();
    await appendTo('many', 3);
    await appendTo('other');

    const batch = await store.readAll(from, { streamTypes: ['many'], limit: 2 });
    expect(batch.events).toHaveLength(2);
    expect(batch.checkpoint).toEqual({
      transactionId: batch.events[1]!.transactionId,
      position: batch.events[1]!.globalPosition,
    });
    const rest = await store.readAll(batch.checkpoint, { streamTypes: ['many'], limit: 2 });
    expect(rest.events.map((e) => e.streamVersion)).toEqual([3]);
  });

  it('never move past a transaction still open, so its late commit is still read', async () => {
    const from = await headOfLog();
    const late = await db.appPool.connect();
    try {
      await late.query('BEGIN');
      await appendTo('rare', 1, { db: late });
      // Written after the open one took its transaction id, committed first.
      await appendTo('busy', 3);

      const early = await store.readAll(from, { streamTypes: ['rare'], limit: 10 });
      expect(early.events).toEqual([]);
      expect(early.checkpoint).toEqual(from);

      await late.query('COMMIT');
      const after = await store.readAll(early.checkpoint, { streamTypes: ['rare'], limit: 10 });
      expect(after.events.map((e) => e.streamType)).toEqual(['rare']);
      expect(after.checkpoint).toEqual(await headOfLog());
    } finally {
      late.release();
    }
  });
});

describe('probing for news', () => {
  it('tells each reader whether committed events of its types lie past its position', async () => {
    const from = await headOfLog();
    const late = await db.appPool.connect();
    try {
      await late.query('BEGIN');
      await appendTo('quiet', 1, { db: late });
      await appendTo('loud');
      const probes = [
        { after: from, streamTypes: ['loud'] },
        { after: from, streamTypes: ['quiet'] },
        { after: from },
        { after: from, streamTypes: ['silent'] },
      ];
      // The open transaction's event is not news until it commits.
      expect(await store.probeNews(probes)).toEqual([true, false, true, false]);
      await late.query('COMMIT');
      expect(await store.probeNews(probes)).toEqual([true, true, true, false]);
      expect(await store.probeNews([{ after: await headOfLog() }])).toEqual([false]);
    } finally {
      late.release();
    }
  });
});
