import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '@medspa/eventstore';
import { createLogger } from '@medspa/observability';
import { createProjectionTestDatabase, type ProjectionTestDatabase } from './fixtures/database.js';
import { ledgerProjection } from './fixtures/ledger.js';
import {
  capturedLogger,
  checkpointOf,
  expectedTotals,
  ledgerOf,
  recordAmounts,
  totalsOf,
} from './fixtures/read-back.js';
import { createProjectionRunner } from './runner.js';

let db: ProjectionTestDatabase;
const silent = createLogger({ service: 'projections-test', level: 'silent' });
const fast = {
  pollIntervalMs: 10,
  leaderRetryMs: 50,
  retry: { initialMs: 10, maxMs: 50 },
  logger: silent,
};

beforeAll(async () => {
  db = await createProjectionTestDatabase('projections_runner', ['crash', 'side', 'lead']);
});
afterAll(async () => db?.drop());

/** Appends `perStream` events to each of `streams` new streams of one stream type; returns what went in. */
async function appendSome(streamType: string, streams: number, perStream: number) {
  const tenant = newId();
  const appended = new Map<string, number[]>();
  for (let s = 0; s < streams; s++) {
    const streamId = `${streamType}-${s}-${newId()}`;
    const amounts = Array.from({ length: perStream }, (_, i) => s * 100 + i + 1);
    for (const amount of amounts) await recordAmounts(db.store, streamId, tenant, [amount], streamType);
    appended.set(streamId, amounts);
  }
  return appended;
}

describe('a batch and its checkpoint commit together', () => {
  for (const failure of ['throw', 'kill the connection'] as const) {
    it(`loses and doubles nothing when the transaction fails after apply (${failure})`, async () => {
      const streamType = `crash_${failure === 'throw' ? 'throw' : 'kill'}`;
      const name = `${streamType}_ledger`;
      const appended = await appendSome(streamType, 3, 10);
      let crashing = true;
      let injected = 0;
      const projection = ledgerProjection({
        name,
        schema: db.schema,
        prefix: 'crash',
        streamTypes: [streamType],
        afterApply: async (client, event) => {
          // The 17th event (amount 107) falls in the second batch of 10: the first is committed by then.
          if (!crashing || event.data.amount !== 107) return;
          injected++;
          if (failure === 'throw') throw new Error('injected after apply');
          await client.query('SELECT pg_terminate_backend(pg_backend_pid())');
        },
      });
      const { logger, records } = capturedLogger();
      const settings = {
        ...fast,
        pool: db.appPool,
        store: db.store,
        projections: [projection],
        batchSize: 10,
        logger,
      };
      const first = createProjectionRunner(settings);
      first.start();
      try {
        await vi.waitFor(() => expect(injected).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
      } finally {
        await first.stop();
      }
      crashing = false;
      expect(
        records().some((r) => r.msg === 'projection batch failed and was rolled back; retrying with backoff'),
      ).toBe(true);

      // What is in the read model is exactly what its checkpoint says: the first batch.
      const events = (
        await db.store.readAll({ transactionId: '0', position: 0 }, { streamTypes: [streamType] })
      ).events;
      const afterCrash = await ledgerOf(db.adminPool, db.schema, 'crash', name);
      expect(afterCrash.map((r) => r.event_id)).toEqual(events.slice(0, 10).map((e) => e.eventId));
      expect(await checkpointOf(db.adminPool, db.schema, name)).toEqual({
        transactionId: events[9]!.transactionId,
        position: events[9]!.globalPosition,
      });

      const second = createProjectionRunner(settings);
      second.start();
      try {
        await second.catchUp({ timeoutMs: 20_000 });
      } finally {
        await second.stop();
      }
      const ledger = await ledgerOf(db.adminPool, db.schema, 'crash', name);
      expect(ledger.map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
      expect(await totalsOf(db.adminPool, db.schema, 'crash', name)).toEqual(expectedTotals(appended));
    });
  }
});

describe('projectors side by side', () => {
  it('keep independent checkpoints, and a failing one retries with backoff without blocking the others', async () => {
    const appended = await appendSome('side', 2, 8);
    let poisoned = true;
    const healthy = ledgerProjection({
      name: 'side_one_by_one',
      schema: db.schema,
      prefix: 'side',
      streamTypes: ['side'],
    });
    const batched = ledgerProjection({
      name: 'side_batched',
      schema: db.schema,
      prefix: 'side',
      streamTypes: ['side'],
      batched: true,
    });
    const failing = ledgerProjection({
      name: 'side_failing',
      schema: db.schema,
      prefix: 'side',
      streamTypes: ['side'],
      afterApply: async (_client, event) => {
        if (poisoned && event.data.amount === 105) throw new Error('projection bug');
      },
    });
    const { logger, records } = capturedLogger();
    const runner = createProjectionRunner({
      ...fast,
      pool: db.appPool,
      store: db.store,
      projections: [healthy, batched, failing],
      batchSize: 4,
      logger,
    });
    runner.start();
    try {
      await vi.waitFor(
        async () => {
          for (const p of [healthy, batched])
            expect(await ledgerOf(db.adminPool, db.schema, 'side', p.name)).toHaveLength(16);
          expect(
            runner.status().find((s) => s.projection === 'side_failing')?.consecutiveFailures,
          ).toBeGreaterThanOrEqual(3);
        },
        { timeout: 15_000, interval: 50 },
      );
      // The failing projection stopped before its poisoned batch; its checkpoint is its own.
      const stuck = await ledgerOf(db.adminPool, db.schema, 'side', 'side_failing');
      expect(stuck.length).toBeLessThan(16);
      expect(await checkpointOf(db.adminPool, db.schema, 'side_failing')).not.toEqual(
        await checkpointOf(db.adminPool, db.schema, 'side_one_by_one'),
      );
      const failures = records().filter((r) => r.projection === 'side_failing' && r.level === 'error');
      expect(failures.length).toBeGreaterThanOrEqual(3);
      expect(JSON.stringify(failures)).not.toContain('projection bug'); // error messages are redacted

      poisoned = false;
      await runner.catchUp({ timeoutMs: 10_000 });
      for (const p of [healthy, batched, failing]) {
        expect(await totalsOf(db.adminPool, db.schema, 'side', p.name)).toEqual(expectedTotals(appended));
        expect(await ledgerOf(db.adminPool, db.schema, 'side', p.name)).toHaveLength(16);
      }
      expect(runner.status().map((s) => s.consecutiveFailures)).toEqual([0, 0, 0]);
    } finally {
      await runner.stop();
    }
  });
});

describe('leadership', () => {
  it('lets one replica advance a projection at a time and hands over when it stops', async () => {
    const projection = ledgerProjection({
      name: 'lead_ledger',
      schema: db.schema,
      prefix: 'lead',
      streamTypes: ['lead'],
    });
    const replicas = ['a', 'b'].map(() =>
      createProjectionRunner({
        ...fast,
        pool: db.appPool,
        store: db.store,
        projections: [projection],
        batchSize: 5,
      }),
    );
    for (const r of replicas) r.start();
    const appended = await appendSome('lead', 3, 5);
    try {
      await vi.waitFor(() => expect(replicas.filter((r) => r.status()[0]?.leading)).toHaveLength(1));
      const leader = replicas.find((r) => r.status()[0]?.leading)!;
      const follower = replicas.find((r) => r !== leader)!;
      await leader.stop();
      for (const [stream, amounts] of await appendSome('lead', 2, 5)) appended.set(stream, amounts);
      await follower.catchUp({ timeoutMs: 10_000 });
      expect(follower.status()[0]?.leading).toBe(true);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
    expect(await ledgerOf(db.adminPool, db.schema, 'lead', 'lead_ledger')).toHaveLength(25);
    expect(await totalsOf(db.adminPool, db.schema, 'lead', 'lead_ledger')).toEqual(expectedTotals(appended));
  });
});
