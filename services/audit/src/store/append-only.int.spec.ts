import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemorySigner } from '../signing/in-memory-signer.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { auditRecords } from '../testing/records.js';
import { createAuditStore } from './append.js';
import { createCheckpointer } from './checkpointer.js';

let db: AuditTestDatabase;
let tenant: string;
let partition: string;

beforeAll(async () => {
  db = await createAuditTestDatabase();
  tenant = randomUUID();
  await createAuditStore(db.appPool).append(auditRecords(5, tenant));
  const signer = createInMemorySigner();
  await createCheckpointer(db.appPool, { signer, trustedKeys: signer.trustedKeys, everyEntries: 1 }).sweep();
  const res = await db.appPool.query<{ relname: string }>(
    "SELECT relname FROM pg_class WHERE relname LIKE 'entries_y%' AND relkind = 'r' ORDER BY relname LIMIT 1",
  );
  partition = res.rows[0]!.relname;
});
afterAll(async () => db?.drop());

async function run(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

const roles = () =>
  [
    ['app role', db.appUrl],
    ['owner role', db.ownerUrl],
    ['superuser', db.adminUrl],
  ] as const;

describe('the audit store is append-only', () => {
  const tables = [
    ['entries', 'action'],
    ['entry_messages', 'seq'],
    ['checkpoints', 'key_id'],
  ] as const;
  for (const [table, column] of tables) {
    it(`refuses UPDATE, DELETE and TRUNCATE on ${table} to every role`, async () => {
      for (const [who, url] of roles()) {
        for (const sql of [
          `UPDATE audit.${table} SET ${column} = ${column}`,
          `DELETE FROM audit.${table}`,
          `TRUNCATE audit.${table}`,
        ]) {
          await expect(run(url, sql), `${who}: ${sql}`).rejects.toMatchObject({ code: '42501' });
        }
      }
    });
  }

  it('refuses the same directly on a monthly partition, to every role', async () => {
    for (const [who, url] of roles()) {
      for (const sql of [
        `UPDATE audit.${partition} SET action = 'x'`,
        `DELETE FROM audit.${partition}`,
        `TRUNCATE audit.${partition}`,
      ]) {
        await expect(run(url, sql), `${who}: ${sql}`).rejects.toMatchObject({ code: '42501' });
      }
    }
  });

  it('lets a chain head move only forward, and never be deleted', async () => {
    for (const [who, url] of roles()) {
      for (const sql of [
        `UPDATE audit.chains SET head_seq = head_seq - 1 WHERE tenant_id = '${tenant}'`,
        `DELETE FROM audit.chains`,
        `TRUNCATE audit.chains`,
      ]) {
        await expect(run(url, sql), `${who}: ${sql}`).rejects.toMatchObject({ code: '42501' });
      }
    }
    const counts = await db.appPool.query<{ entries: number; checkpoints: number }>(
      `SELECT (SELECT count(*)::int FROM audit.entries) AS entries,
              (SELECT count(*)::int FROM audit.checkpoints) AS checkpoints`,
    );
    expect(counts.rows[0]).toEqual({ entries: 5, checkpoints: 1 });
  });

  it('gives the app role no way to create or drop tables, only to ask for partitions', async () => {
    await expect(run(db.appUrl, 'CREATE TABLE audit.x (a int)')).rejects.toMatchObject({ code: '42501' });
    await expect(run(db.appUrl, `DROP TABLE audit.${partition}`)).rejects.toMatchObject({ code: '42501' });
    await expect(
      run(db.appUrl, `ALTER TABLE audit.entries DETACH PARTITION audit.${partition}`),
    ).rejects.toMatchObject({
      code: '42501',
    });
    await expect(run(db.appUrl, 'SELECT audit.ensure_entry_partitions(4)')).resolves.toBeDefined();
  });

  it('connects the app role as neither owner nor superuser, without BYPASSRLS', async () => {
    const r = await db.appPool.query(
      `SELECT rolsuper, rolbypassrls, (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'audit') AS owner
       FROM pg_roles WHERE rolname = current_user`,
    );
    expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owner: 'audit_owner' });
  });
});
