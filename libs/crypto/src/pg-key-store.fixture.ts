import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@medspa/testing';
import { createFieldCipher } from './field-cipher.js';
import { cryptoKeyTablesSql } from './key-tables-sql.js';
import type { WriteCondition } from './key-store.js';
import { createKeyring, type Keyring } from './keyring.js';
import type { Kms } from './kms.js';
import { createLocalFileKms } from './local-file-kms.js';
import { cryptoKeyOfferSql } from './pg-key-offer.js';
import { createPgKeyStore } from './pg-key-store.js';

export const SCHEMA = 'patient_record';
// Roles are cluster-wide and test files share the cluster: create idempotently.
const APP_ROLE = 'crypto_spec_app';
const APP_PASSWORD = 'crypto-spec'; // a throwaway test cluster on 127.0.0.1

/**
 * The key tables of one test database, reached as the service's app role (not owner: every query
 * proves the grants suffice), with a local-file KMS; registers its own beforeAll and afterAll.
 */
export function usePgKeyStore() {
  let db: TestDatabase;
  let kmsDir: string;
  const env = {} as { owner: pg.Pool; app: pg.Pool; kms: Kms };

  beforeAll(async () => {
    db = await createTestDatabase();
    env.owner = new pg.Pool({ connectionString: db.url, max: 4 });
    await env.owner.query(
      `DO $$ BEGIN CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_PASSWORD}';
       EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
    await env.owner.query(`CREATE SCHEMA ${SCHEMA}; GRANT USAGE ON SCHEMA ${SCHEMA} TO ${APP_ROLE}`);
    await env.owner.query(cryptoKeyTablesSql(SCHEMA, { appRole: APP_ROLE }));
    await env.owner.query(cryptoKeyOfferSql(SCHEMA));
    await env.owner.query(
      `CREATE TABLE ${SCHEMA}.patient_search (tenant_id uuid, subject_id uuid, token text)`,
    );
    await env.owner.query(`GRANT SELECT, INSERT, DELETE ON ${SCHEMA}.patient_search TO ${APP_ROLE}`);
    const appUrl = new URL(db.url);
    appUrl.username = APP_ROLE;
    appUrl.password = APP_PASSWORD;
    env.app = new pg.Pool({ connectionString: appUrl.toString(), max: 8 });
    kmsDir = await mkdtemp(path.join(tmpdir(), 'medspa-kms-'));
    env.kms = createLocalFileKms({ dir: kmsDir });
  });

  afterAll(async () => {
    await env.app?.end();
    await env.owner?.end();
    await db?.drop();
    if (kmsDir !== undefined) await rm(kmsDir, { recursive: true, force: true });
  });

  /** One service replica: its own keyring and caches over the shared tables and KMS. */
  const replica = () => {
    const store = createPgKeyStore(env.app, SCHEMA, { offerSubjectKeys: true });
    const keyring = createKeyring({ kms: env.kms, kekId: 'medspa-kek', store });
    return { keyring, fields: createFieldCipher(keyring) };
  };

  async function givenTenant() {
    const { keyring, fields } = replica();
    const tenantId = randomUUID();
    expect(await keyring.provisionTenant(tenantId)).toBe(true);
    expect(await keyring.provisionTenant(tenantId)).toBe(false);
    return { keyring, fields, tenantId };
  }

  /** How many data keys the patient has (0 or 1), seen by the owner. */
  const keyRowsOf = async (subjectId: string) =>
    (await env.owner.query(`SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`, [subjectId]))
      .rowCount;

  /** A write's statement with the offer's condition in it (the event store puts it in its append). */
  const holds = async (condition: WriteCondition, on: pg.Pool | pg.PoolClient = env.app) =>
    (await on.query<{ ok: boolean }>(`SELECT ${condition.sql(1)} AS ok`, condition.values)).rows[0]!.ok;

  /**
   * Runs `meanwhile` while a shred of the patient holds its lock in an open transaction, commits the
   * shred 100 ms later and returns what `meanwhile` settled with (its value or its error).
   */
  async function duringShred<T>(
    keyring: Keyring,
    tenantId: string,
    subjectId: string,
    meanwhile: () => Promise<T>,
  ): Promise<unknown> {
    const client = await env.app.connect();
    try {
      await client.query('BEGIN');
      await keyring.shredSubject(tenantId, subjectId, { client }); // holds the Patient's lock
      const outcome = meanwhile().catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.query('COMMIT');
      return await outcome;
    } finally {
      client.release();
    }
  }

  return { env, replica, givenTenant, keyRowsOf, holds, duringShred };
}
