import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '@medspa/eventstore';
import { createProjectionTestDatabase, type ProjectionTestDatabase } from './fixtures/database.js';
import { ledgerProjection } from './fixtures/ledger.js';
import { recordAmounts } from './fixtures/read-back.js';
import { createProjectionRunner } from './runner.js';

let db: ProjectionTestDatabase;

beforeAll(async () => {
  db = await createProjectionTestDatabase('projections_lag', ['lag']);
});
afterAll(async () => db?.drop());

/** The test database's store, counting its log reads and news probes. */
function countingStore() {
  const calls = { readAll: 0, probeNews: 0 };
  const store = {
    ...db.store,
    readAll: (...args: Parameters<typeof db.store.readAll>) => {
      calls.readAll++;
      return db.store.readAll(...args);
    },
    probeNews: (...args: Parameters<typeof db.store.probeNews>) => {
      calls.probeNews++;
      return db.store.probeNews(...args);
    },
  };
  return { store, calls };
}

describe('lag', () => {
  it('brings a committed event into the read model within 100 ms at p99 while idle-polling', async () => {
    const appliedAt = new Map<string, number>();
    const projection = ledgerProjection({
      name: 'lag_ledger',
      schema: db.schema,
      prefix: 'lag',
      streamTypes: ['lag'],
      afterApply: async (_c, e) => void appliedAt.set(e.eventId, performance.now()),
    });
    const runner = createProjectionRunner({ pool: db.appPool, store: db.store, projections: [projection] });
    runner.start();
    const tenant = newId();
    const lags: number[] = [];
    try {
      for (let i = 0; i < 60; i++) {
        const { eventIds } = await recordAmounts(db.store, `lag-${i % 3}`, tenant, [1], 'lag');
        const committed = performance.now();
        await vi.waitFor(() => expect(appliedAt.has(eventIds[0]!)).toBe(true), {
          timeout: 2_000,
          interval: 2,
        });
        lags.push(appliedAt.get(eventIds[0]!)! - committed);
        await new Promise((r) => setTimeout(r, Math.random() * 15));
      }
    } finally {
      await runner.stop();
    }
    lags.sort((a, b) => a - b);
    const p50 = lags[Math.floor(lags.length * 0.5)]!;
    const p99 = lags[Math.ceil(lags.length * 0.99) - 1]!;
    expect(p99, `lag p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`).toBeLessThan(100);
  });

  it('idles on one news probe per interval for all projections, reading only now and then', async () => {
    const names = ['lag_idle_a', 'lag_idle_b', 'lag_idle_c', 'lag_idle_d'];
    const { store, calls } = countingStore();
    const runner = createProjectionRunner({
      pool: db.appPool,
      store,
      projections: names.map((name) =>
        ledgerProjection({ name, schema: db.schema, prefix: 'lag', streamTypes: [`${name}_stream`] }),
      ),
      pollIntervalMs: 20,
      idleRereadMs: 1_000,
    });
    runner.start();
    try {
      await new Promise((r) => setTimeout(r, 1_200));
    } finally {
      await runner.stop();
    }
    // Polling each projection would be 4 × 60 reads; idle, each reads at start and once a second.
    expect(calls.readAll).toBeLessThanOrEqual(names.length * 3);
    expect(calls.probeNews).toBeGreaterThanOrEqual(20);
  });

  it('probes seldom after a quiet spell, and at once again for catchUp', async () => {
    const { store, calls } = countingStore();
    const runner = createProjectionRunner({
      pool: db.appPool,
      store,
      projections: [
        ledgerProjection({ name: 'lag_quiet', schema: db.schema, prefix: 'lag', streamTypes: ['lag_quiet'] }),
      ],
      pollIntervalMs: 20,
      idleRereadMs: 60_000,
      quietAfterMs: 300,
      quietPollIntervalMs: 5_000,
    });
    runner.start();
    try {
      await runner.catchUp();
      await new Promise((r) => setTimeout(r, 1_500));
      // Every 20 ms for the first 300 ms, then every 5 s: not 75 probes.
      expect(calls.probeNews).toBeLessThanOrEqual(25);
      const tenant = newId();
      await recordAmounts(db.store, 'quiet-1', tenant, [1], 'lag_quiet');
      const started = performance.now();
      await runner.catchUp();
      // The next quiet probe is seconds away; catchUp hurries it.
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await runner.stop();
    }
  });
});
