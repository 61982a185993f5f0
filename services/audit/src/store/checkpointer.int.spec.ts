import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemorySigner, type InMemorySigner } from '../signing/in-memory-signer.js';
import { asAttacker } from '../testing/attacker.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { auditRecords } from '../testing/records.js';
import { verifyChain } from '../verify/verify-chain.js';
import { createAuditStore, type AuditStore } from './append.js';
import { startCheckpointSchedule } from './checkpoint-schedule.js';
import { createCheckpointer, type Checkpointer } from './checkpointer.js';
import { pgLogSource } from './pg-log-source.js';

let db: AuditTestDatabase;
let store: AuditStore;
let signer: InMemorySigner;
let checkpointer: Checkpointer;

beforeAll(async () => {
  db = await createAuditTestDatabase();
  store = createAuditStore(db.appPool);
  signer = createInMemorySigner();
  checkpointer = createCheckpointer(db.appPool, {
    signer,
    trustedKeys: signer.trustedKeys,
    everyEntries: 100,
  });
});
afterAll(async () => db?.drop());

const checkpointsOf = async (tenant: string) =>
  (
    await db.appPool.query<{ seq: number; previous_seq: number }>(
      'SELECT seq, previous_seq FROM audit.checkpoints WHERE tenant_id = $1 ORDER BY seq',
      [tenant],
    )
  ).rows;

describe('checkpointer', () => {
  it('signs a chain once N entries are unsigned, each checkpoint naming its predecessor', async () => {
    const tenant = randomUUID();
    for (let i = 0; i < 5; i++) {
      const { heads } = await store.append(auditRecords(60, tenant));
      await checkpointer.afterAppend(heads);
    }
    expect(await checkpointsOf(tenant)).toEqual([
      { seq: 120, previous_seq: 0 },
      { seq: 240, previous_seq: 120 },
    ]);
    const report = await verifyChain(pgLogSource(db.appPool), tenant, { trustedKeys: signer.trustedKeys });
    expect(report).toMatchObject({
      intact: true,
      lastSequence: 300,
      signedThrough: 240,
      unsignedEntries: 60,
    });
  });

  it('signs every chain with unsigned entries on a sweep, and nothing when nothing is new', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await store.append([...auditRecords(3, a), ...auditRecords(4, b)]);
    const made = await checkpointer.sweep();
    expect(
      made
        .filter((c) => c.chainId === a || c.chainId === b)
        .map((c) => c.sequence)
        .sort(),
    ).toEqual([3, 4]);
    expect(await checkpointer.checkpoint(a)).toBeUndefined();
  });

  it('makes one series when several checkpointers race', async () => {
    const tenant = randomUUID();
    for (let i = 0; i < 3; i++) {
      await store.append(auditRecords(10, tenant));
      const others = Array.from({ length: 4 }, () =>
        createCheckpointer(db.appPool, { signer, trustedKeys: signer.trustedKeys, everyEntries: 1 }),
      );
      await Promise.all(others.map((c) => c.checkpoint(tenant)));
    }
    expect(await checkpointsOf(tenant)).toEqual([
      { seq: 10, previous_seq: 0 },
      { seq: 20, previous_seq: 10 },
      { seq: 30, previous_seq: 20 },
    ]);
  });

  it('refuses to sign over entries changed since the last checkpoint', async () => {
    const tenant = randomUUID();
    await store.append(auditRecords(20, tenant));
    await checkpointer.checkpoint(tenant);
    await store.append(auditRecords(20, tenant));
    await asAttacker(db.adminUrl, (c) =>
      c.query(
        `UPDATE audit.entries SET canonical = canonical || '\\x20'::bytea WHERE tenant_id = $1 AND seq = 30`,
        [tenant],
      ),
    );
    await expect(checkpointer.checkpoint(tenant)).rejects.toMatchObject({ reason: 'AUDIT_CHAIN_BROKEN' });
    await expect(checkpointer.sweep()).rejects.toBeInstanceOf(AggregateError);
    expect(await checkpointsOf(tenant)).toEqual([{ seq: 20, previous_seq: 0 }]);
  });

  it('signs within T on a schedule', async () => {
    const tenant = randomUUID();
    const scheduled = createCheckpointer(db.appPool, {
      signer,
      trustedKeys: signer.trustedKeys,
      everyEntries: 1e9,
    });
    const errors: unknown[] = [];
    const stop = startCheckpointSchedule(scheduled, { everyMs: 50, onError: (e) => errors.push(e) });
    try {
      await store.append(auditRecords(7, tenant));
      await expect
        .poll(() => checkpointsOf(tenant), { timeout: 5000 })
        .toEqual([{ seq: 7, previous_seq: 0 }]);
    } finally {
      await stop();
    }
    // The chain broken in the previous test fails every sweep, loudly, without holding this one back.
    expect(errors.every((e) => e instanceof AggregateError)).toBe(true);
  });
});
