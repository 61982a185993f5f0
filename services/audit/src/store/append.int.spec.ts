import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemorySigner } from '../signing/in-memory-signer.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { auditRecord, auditRecords } from '../testing/records.js';
import { verifyChain } from '../verify/verify-chain.js';
import { createAuditStore, type AuditStore } from './append.js';
import { pgLogSource } from './pg-log-source.js';

let db: AuditTestDatabase;
let store: AuditStore;
const trustedKeys = createInMemorySigner().trustedKeys;

beforeAll(async () => {
  db = await createAuditTestDatabase();
  store = createAuditStore(db.appPool);
});
afterAll(async () => db?.drop());

const sequencesOf = async (tenantId: string): Promise<number[]> =>
  (
    await db.appPool.query<{ seq: number }>(
      'SELECT seq FROM audit.entries WHERE tenant_id = $1 ORDER BY seq',
      [tenantId],
    )
  ).rows.map((r) => r.seq);

const verify = (tenantId: string, checkColumns = false) =>
  verifyChain(pgLogSource(db.appPool), tenantId, { trustedKeys, checkColumns });

describe('append', () => {
  it('appends a batch mixing tenants: one gapless chain per tenant, each verifiable on its own', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const records = auditRecords(30, a).flatMap((r, i) =>
      [r, auditRecords(1, b)[0]!].slice(0, i % 2 ? 2 : 1),
    );
    const outcome = await store.append(records);
    expect(outcome.appended).toHaveLength(records.length);
    expect(await sequencesOf(a)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await sequencesOf(b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(outcome.heads.map((h) => [h.chainId, h.sequence]).sort()).toEqual(
      [
        [a, 30],
        [b, 15],
      ].sort(),
    );
    expect(await verify(a, true)).toMatchObject({ intact: true, lastSequence: 30 });
    expect(await verify(b, true)).toMatchObject({ intact: true, lastSequence: 15 });
  });

  it('continues a chain across batches', async () => {
    const tenant = randomUUID();
    for (let i = 0; i < 4; i++) await store.append(auditRecords(25, tenant));
    expect(await verify(tenant)).toMatchObject({ intact: true, lastSequence: 100 });
  });

  it('is idempotent: a redelivered batch appends nothing and moves no head', async () => {
    const tenant = randomUUID();
    const records = auditRecords(10, tenant);
    await store.append(records);
    const again = await store.append([...records, records[0]!]);
    expect(again.appended).toEqual([]);
    expect(again.heads).toEqual([]);
    expect(again.duplicates.sort()).toEqual(
      [...records.map((r) => r.messageId), records[0]!.messageId].sort(),
    );
    expect(await sequencesOf(tenant)).toHaveLength(10);
  });

  it('keeps the first of a message id repeated within a batch', async () => {
    const tenant = randomUUID();
    const record = auditRecord({ tenantId: tenant });
    const outcome = await store.append([record, { ...record, action: 'export' }]);
    expect(outcome.appended).toHaveLength(1);
    expect(outcome.duplicates).toEqual([record.messageId]);
  });

  it('refuses a message id that another tenant already used, and appends the rest', async () => {
    const record = auditRecord({ tenantId: randomUUID() });
    await store.append([record]);
    const other = randomUUID();
    const outcome = await store.append([{ ...record, tenantId: other }, auditRecord({ tenantId: other })]);
    expect(outcome.refused).toEqual([record.messageId]);
    expect(outcome.appended).toHaveLength(1);
  });

  it('stays gapless and verifiable under concurrent appenders to the same chains', async () => {
    const tenants = [randomUUID(), randomUUID(), randomUUID()];
    const appenders = Array.from({ length: 4 }, () => createAuditStore(db.appPool));
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        appenders[i % 4]!.append(tenants.flatMap((t) => auditRecords(10 + (i % 3), t))),
      ),
    );
    for (const tenant of tenants) {
      const sequences = await sequencesOf(tenant);
      expect(sequences).toEqual(Array.from({ length: sequences.length }, (_, i) => i + 1));
      expect(await verify(tenant)).toMatchObject({ intact: true, lastSequence: sequences.length });
    }
  });

  it('validates every record before writing any', async () => {
    const tenant = randomUUID();
    await expect(
      store.append([auditRecord({ tenantId: tenant }), auditRecord({ tenantId: tenant, messageId: 'x' })]),
    ).rejects.toMatchObject({ reason: 'AUDIT_RECORD_INVALID' });
    expect(await sequencesOf(tenant)).toEqual([]);
  });

  it('stores each entry in the monthly partition of the time it was appended', async () => {
    const tenant = randomUUID();
    await store.append(auditRecords(3, tenant));
    const res = await db.appPool.query<{ partition: string }>(
      'SELECT DISTINCT c.relname AS partition FROM audit.entries e JOIN pg_class c ON c.oid = e.tableoid WHERE e.tenant_id = $1',
      [tenant],
    );
    const now = new Date();
    const month = `${now.getUTCFullYear()}m${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(res.rows).toEqual([{ partition: `entries_y${month}` }]);
    expect(await store.ensurePartitions(3)).toBe(0);
    expect(await store.ensurePartitions(5)).toBe(2);
  });
});
