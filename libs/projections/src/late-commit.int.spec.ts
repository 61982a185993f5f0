import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newId } from '@medspa/eventstore';
import { createMetrics } from '@medspa/observability';
import {
  createProjectionTestDatabaseIn,
  metadataFor,
  type ProjectionTestDatabase,
} from './fixtures/database.js';
import { ledgerProjection } from './fixtures/ledger.js';
import { startPrivateCluster, type PrivateCluster } from './fixtures/private-cluster.js';
import { capturedLogger, ledgerOf, recordAmounts } from './fixtures/read-back.js';
import { createProjectionRunner } from './runner.js';
import { findSnapshotBlocker } from './stall.js';

// This file holds a transaction open, which stalls every gap-safe reader of its cluster: it runs
// on a cluster of its own.
let cluster: PrivateCluster;
let db: ProjectionTestDatabase;
const reader = new PeriodicExportingMetricReader({
  exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
  exportIntervalMillis: 3_600_000,
});

beforeAll(async () => {
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  cluster = await startPrivateCluster();
  db = await createProjectionTestDatabaseIn(cluster.url, 'projections_late', ['late_a', 'late_b']);
});
afterAll(async () => {
  await db?.drop();
  await cluster?.stop();
  metrics.disable();
});

async function heldBackGauge(): Promise<Record<string, number>> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === 'projection_held_back_seconds');
  return Object.fromEntries(
    (metric?.dataPoints ?? []).map((p) => [String(p.attributes.projection), Number(p.value)]),
  );
}

describe('a transaction that appends first and commits last', () => {
  it('is delivered, in order, to every subscriber, and the stall is visible while it is open', async () => {
    const tenant = newId();
    const subscribers = [
      ledgerProjection({ name: 'late_a', schema: db.schema, prefix: 'late_a' }),
      ledgerProjection({ name: 'late_b', schema: db.schema, prefix: 'late_b', batched: true }),
    ];
    const { logger, records } = capturedLogger();
    const runner = createProjectionRunner({
      pool: db.appPool,
      store: db.store,
      projections: subscribers,
      pollIntervalMs: 10,
      stallWarnAfterMs: 300,
      logger,
      metrics: createMetrics('@medspa/projections'),
    });
    const late = new pg.Client({ connectionString: db.appUrl, application_name: 'late-writer' });
    await late.connect();
    runner.start();
    try {
      const latePid = (await late.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await late.query('BEGIN');
      const first = await db.store.append(
        'till-late',
        'till',
        'any',
        [{ type: 'AmountRecorded', data: { amount: 1 } }],
        metadataFor(tenant),
        { db: late },
      );
      const second = await recordAmounts(db.store, 'till-b', tenant, [2]);
      const third = await recordAmounts(db.store, 'till-c', tenant, [3]);
      // The later appends took later positions too; the late one is still uncommitted.
      expect(first.globalPositions[0]).toBeLessThan(second.globalPositions[0]!);

      await vi.waitFor(
        () =>
          expect(
            records()
              .filter((r) => r.level === 'warn')
              .map((r) => r.projection),
          ).toEqual(expect.arrayContaining(['late_a', 'late_b'])),
        { timeout: 5_000, interval: 20 },
      );
      const warning = records().find((r) => r.level === 'warn' && r.projection === 'late_a')!;
      expect(warning).toMatchObject({
        msg: 'projection held back: an older transaction is still open in the cluster',
        blocker: {
          visible: true,
          pid: latePid,
          applicationName: 'late-writer',
          state: 'idle in transaction',
        },
      });
      expect(warning.heldBackSeconds).toBeGreaterThanOrEqual(0.3);
      expect(JSON.stringify(warning)).not.toMatch(/INSERT|AmountRecorded|till-late/); // never the query text
      const gauge = await heldBackGauge();
      expect(gauge.late_a).toBeGreaterThanOrEqual(0.3);
      expect(gauge.late_b).toBeGreaterThanOrEqual(0.3);
      for (const s of subscribers)
        expect(await ledgerOf(db.adminPool, db.schema, s.name, s.name)).toEqual([]);

      await late.query('COMMIT');
      await runner.catchUp({ timeoutMs: 10_000 });
      const inOrder = [first, second, third].map((r) => r.eventIds[0]);
      for (const s of subscribers) {
        const delivered = await ledgerOf(db.adminPool, db.schema, s.name, s.name);
        expect(delivered.map((r) => r.event_id)).toEqual(inOrder);
      }
      expect(await heldBackGauge()).toEqual({ late_a: 0, late_b: 0 });
    } finally {
      await late.end();
      await runner.stop();
    }
  });

  it('names a blocker of another role, with its state and age only to a role allowed to see them', async () => {
    const other = new pg.Client({ connectionString: db.ownerUrl, application_name: 'owner-migration' });
    await other.connect();
    try {
      const pid = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await other.query('BEGIN');
      const xid = (await other.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')).rows[0]!
        .xid;
      // The app role sees another role's session but not its state or age (pg_read_all_stats would).
      expect(await findSnapshotBlocker(db.appPool)).toEqual({
        visible: true,
        detailsHidden: true,
        xmin: xid,
        pid,
        applicationName: 'owner-migration',
        role: 'projections_late_owner',
        database: expect.any(String) as unknown,
      });
      expect(await findSnapshotBlocker(db.adminPool)).toMatchObject({
        visible: true,
        xmin: xid,
        pid,
        applicationName: 'owner-migration',
        role: 'projections_late_owner',
        state: 'idle in transaction',
        transactionAgeSeconds: expect.any(Number) as unknown,
      });
    } finally {
      await other.end();
    }
  });
});
