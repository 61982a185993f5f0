import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTenant } from '@medspa/db';
import { newId } from '@medspa/eventstore';
import { createLogger } from '@medspa/observability';
import { createProjectionTestDatabase, type ProjectionTestDatabase } from './fixtures/database.js';
import { ledgerProjection } from './fixtures/ledger.js';
import { capturedLogger, ledgerOf, recordAmounts } from './fixtures/read-back.js';
import { defineProjection } from './projection.js';
import { createProjectionRunner } from './runner.js';

let db: ProjectionTestDatabase;
const silent = createLogger({ service: 'projections-test', level: 'silent' });
const fast = {
  pollIntervalMs: 10,
  leaderRetryMs: 50,
  retry: { initialMs: 10, maxMs: 50 },
  logger: silent,
};
const [tenantA, tenantB] = [newId(), newId()];

beforeAll(async () => {
  db = await createProjectionTestDatabase('projections_rls', ['rls']);
  // Interleaved tenants, so that one batch switches tenant several times.
  for (let i = 0; i < 6; i++) {
    await recordAmounts(db.store, `till-a-${i % 2}`, tenantA, [i + 1], 'rls');
    await recordAmounts(db.store, `till-b-${i % 2}`, tenantB, [10 * (i + 1)], 'rls');
  }
});
afterAll(async () => db?.drop());

const table = () => `${db.schema}.rls_events`;

describe('projections write with row-level security on', () => {
  it('write each event under its own tenant, switching tenant within a batch', async () => {
    for (const batched of [false, true]) {
      const name = batched ? 'rls_batched' : 'rls_one_by_one';
      const projection = ledgerProjection({
        name,
        schema: db.schema,
        prefix: 'rls',
        streamTypes: ['rls'],
        batched,
      });
      const runner = createProjectionRunner({
        ...fast,
        pool: db.appPool,
        store: db.store,
        projections: [projection],
      });
      runner.start();
      try {
        await runner.catchUp({ timeoutMs: 10_000 });
      } finally {
        await runner.stop();
      }
      const rows = await ledgerOf(db.adminPool, db.schema, 'rls', name);
      expect(rows).toHaveLength(12);
      for (const r of rows) expect(r.tenant_id).toBe(r.stream_id.startsWith('till-a') ? tenantA : tenantB);
    }
  });

  it('cannot write a row for a tenant other than the event’s', async () => {
    const intruder = defineProjection({
      name: 'rls_intruder',
      tables: ['rls_events'],
      streamTypes: ['rls'],
      apply: async (client, event) => {
        const other = event.metadata.tenantId === tenantA ? tenantB : tenantA;
        await client.query(
          `INSERT INTO ${table()} (tenant_id, projection, event_id, stream_id, stream_version, amount)
           VALUES ($1, 'rls_intruder', $2, $3, $4, 0)`,
          [other, event.eventId, event.streamId, event.streamVersion],
        );
      },
    });
    const { logger, records } = capturedLogger();
    const runner = createProjectionRunner({
      ...fast,
      pool: db.appPool,
      store: db.store,
      projections: [intruder],
      logger,
    });
    runner.start();
    try {
      await vi.waitFor(() => expect(runner.status()[0]?.consecutiveFailures).toBeGreaterThanOrEqual(2), {
        timeout: 10_000,
      });
    } finally {
      await runner.stop();
    }
    expect(await ledgerOf(db.adminPool, db.schema, 'rls', 'rls_intruder')).toEqual([]);
    const failure = records().find((r) => r.projection === 'rls_intruder' && r.level === 'error');
    // 42501: new row violates row-level security policy (the policy's WITH CHECK).
    expect(failure?.err).toMatchObject({ code: '42501' });
  });

  it('cannot touch another tenant’s rows: they are invisible to its updates', async () => {
    const touched: number[] = [];
    const vandal = defineProjection({
      name: 'rls_vandal',
      tables: [],
      streamTypes: ['rls'],
      apply: async (client) => {
        const res = await client.query(
          `UPDATE ${table()} SET amount = -1 WHERE projection = 'rls_one_by_one'`,
        );
        touched.push(res.rowCount ?? 0);
        throw new Error('roll back the vandalism');
      },
    });
    const runner = createProjectionRunner({
      ...fast,
      pool: db.appPool,
      store: db.store,
      projections: [vandal],
    });
    runner.start();
    try {
      await vi.waitFor(() => expect(touched.length).toBeGreaterThan(0));
    } finally {
      await runner.stop();
    }
    expect(touched[0]).toBe(6); // tenant A's six rows of the twelve
  });

  it('shows the app role nothing without a tenant, and one tenant’s rows with it', async () => {
    const all = await db.appPool.query(`SELECT * FROM ${table()}`);
    expect(all.rows).toEqual([]);
    const own = await withTenant(db.appPool, tenantB, (c) =>
      c.query<{ tenant_id: string }>(`SELECT tenant_id FROM ${table()}`),
    );
    expect(own.rows.length).toBe(12); // six per projection, two projections
    expect(new Set(own.rows.map((r) => r.tenant_id))).toEqual(new Set([tenantB]));
  });

  it('lets the app role advance checkpoints but never delete one', async () => {
    await expect(db.appPool.query(`DELETE FROM ${db.schema}.projection_checkpoints`)).rejects.toMatchObject({
      code: '42501',
    });
  });
});
