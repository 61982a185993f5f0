import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createInMemorySigner } from '../signing/in-memory-signer.js';
import { createAuditStore } from '../store/append.js';
import { createCheckpointer } from '../store/checkpointer.js';
import { pgLogSource } from '../store/pg-log-source.js';
import { asAttacker } from '../testing/attacker.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { auditRecords } from '../testing/records.js';
import type { AuditLogSource } from './log-source.js';
import { verifyChainParallel } from './parallel-verify.js';
import { verifyChain } from './verify-chain.js';

// A chain of 230 entries signed at 50, 100, 150 and 200, verified in 3 segments on worker threads.
let db: AuditTestDatabase;
let tenant: string;
const signer = createInMemorySigner();

beforeAll(async () => {
  db = await createAuditTestDatabase();
});
afterAll(async () => db?.drop());

beforeEach(async () => {
  tenant = randomUUID();
  const store = createAuditStore(db.appPool);
  const checkpointer = createCheckpointer(db.appPool, {
    signer,
    trustedKeys: signer.trustedKeys,
    everyEntries: 50,
  });
  for (const size of [50, 50, 50, 50, 30]) {
    await checkpointer.afterAppend((await store.append(auditRecords(size, tenant))).heads);
  }
});

/** The main thread's source, counting the entry pages it is asked for (none on the fast path). */
function countingSource(): { source: AuditLogSource; pages: () => number } {
  const inner = pgLogSource(db.appPool);
  let pages = 0;
  return {
    source: {
      ...inner,
      entries: (...args) => {
        pages++;
        return inner.entries(...args);
      },
    },
    pages: () => pages,
  };
}

const options = () => ({
  trustedKeys: signer.trustedKeys,
  databaseUrl: db.appUrl,
  workers: 3,
  minEntries: 0,
});

describe('verifyChainParallel', () => {
  it('verifies an intact chain in segments on workers, with the report verifyChain gives', async () => {
    const { source, pages } = countingSource();
    const report = await verifyChainParallel(source, tenant, options());
    expect(pages()).toBe(0);
    expect(report).toEqual(
      await verifyChain(pgLogSource(db.appPool), tenant, { trustedKeys: signer.trustedKeys }),
    );
    expect(report).toMatchObject({
      intact: true,
      lastSequence: 230,
      signedThrough: 200,
      checkpointsVerified: 4,
    });
  }, 60_000);

  it('falls back to the sequential walk on tampering and reports it the same way', async () => {
    await asAttacker(db.adminUrl, (c) =>
      c.query(
        `UPDATE audit.entries SET canonical = convert_to(replace(convert_from(canonical, 'UTF8'),
           '"action":"read"', '"action":"print"'), 'UTF8') WHERE tenant_id = $1 AND seq = 120`,
        [tenant],
      ),
    );
    const { source, pages } = countingSource();
    const report = await verifyChainParallel(source, tenant, options());
    expect(pages()).toBeGreaterThan(0);
    expect(report).toEqual(
      await verifyChain(pgLogSource(db.appPool), tenant, { trustedKeys: signer.trustedKeys }),
    );
    expect(report.problem).toMatchObject({ kind: 'entry_modified', sequence: 120 });
  }, 60_000);

  it('falls back when entries after the last checkpoint were changed (the unsigned tail)', async () => {
    await asAttacker(db.adminUrl, (c) =>
      c.query('DELETE FROM audit.entries WHERE tenant_id = $1 AND seq = 215', [tenant]),
    );
    const report = await verifyChainParallel(pgLogSource(db.appPool), tenant, options());
    expect(report.intact).toBe(false);
    expect(report).toEqual(
      await verifyChain(pgLogSource(db.appPool), tenant, { trustedKeys: signer.trustedKeys }),
    );
  }, 60_000);
});
