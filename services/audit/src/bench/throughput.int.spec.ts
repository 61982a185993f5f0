import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { measureThroughput } from './throughput.js';

let db: AuditTestDatabase;
beforeAll(async () => {
  db = await createAuditTestDatabase();
});
afterAll(async () => db?.drop());

describe('throughput', () => {
  it('appends in batches and verifies by streaming pages, and prints the rates', async () => {
    const perTenant = Number(process.env.AUDIT_BENCH_PER_TENANT ?? 5000);
    const figures = await measureThroughput(db.appPool, {
      perTenant,
      tenants: 10,
      batchSize: 1000,
      appenders: 2,
    });
    process.stdout.write(`audit throughput ${JSON.stringify(figures)}\n`);
    // Loose floors only: CPUs are shared in CI. The figures are reported, not asserted.
    expect(figures.appendPerSecond).toBeGreaterThan(1000);
    expect(figures.verifyPerSecond).toBeGreaterThan(10_000);
  }, 300_000);
});
