import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@medspa/testing';
import { createBlindIndex } from './blind-index.js';
import { createFieldCipher, subjectCipher } from './field-cipher.js';
import { cryptoKeyTablesSql } from './key-tables-sql.js';
import type { WriteCondition } from './key-store.js';
import { createKeyring } from './keyring.js';
import type { Kms } from './kms.js';
import { createLocalFileKms } from './local-file-kms.js';
import { cryptoKeyOfferSql } from './pg-key-offer.js';
import { createPgKeyStore } from './pg-key-store.js';

const SCHEMA = 'patient_record';
// Roles are cluster-wide and test files share the cluster: create idempotently.
const APP_ROLE = 'crypto_spec_app';
const APP_PASSWORD = 'crypto-spec'; // a throwaway test cluster on 127.0.0.1

describe('Postgres key store', () => {
  let db: TestDatabase;
  let owner: pg.Pool;
  let app: pg.Pool;
  let kmsDir: string;
  let kms: Kms;

  beforeAll(async () => {
    db = await createTestDatabase();
    owner = new pg.Pool({ connectionString: db.url, max: 4 });
    await owner.query(
      `DO $$ BEGIN CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_PASSWORD}';
       EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
    await owner.query(`CREATE SCHEMA ${SCHEMA}; GRANT USAGE ON SCHEMA ${SCHEMA} TO ${APP_ROLE}`);
    await owner.query(cryptoKeyTablesSql(SCHEMA, { appRole: APP_ROLE }));
    await owner.query(cryptoKeyOfferSql(SCHEMA));
    await owner.query(`CREATE TABLE ${SCHEMA}.patient_search (tenant_id uuid, subject_id uuid, token text)`);
    await owner.query(`GRANT SELECT, INSERT, DELETE ON ${SCHEMA}.patient_search TO ${APP_ROLE}`);
    // The service logs in as its app role (not owner): every query below proves the grants suffice.
    const appUrl = new URL(db.url);
    appUrl.username = APP_ROLE;
    appUrl.password = APP_PASSWORD;
    app = new pg.Pool({ connectionString: appUrl.toString(), max: 8 });
    kmsDir = await mkdtemp(path.join(tmpdir(), 'medspa-kms-'));
    kms = createLocalFileKms({ dir: kmsDir });
  });

  afterAll(async () => {
    await app.end();
    await owner.end();
    await db.drop();
    await rm(kmsDir, { recursive: true, force: true });
  });

  /** One service replica: its own keyring and caches over the shared tables and KMS. */
  const replica = () => {
    const store = createPgKeyStore(app, SCHEMA, { offerSubjectKeys: true });
    const keyring = createKeyring({ kms, kekId: 'medspa-kek', store });
    return { keyring, fields: createFieldCipher(keyring) };
  };

  async function givenTenant() {
    const { keyring, fields } = replica();
    const tenantId = randomUUID();
    expect(await keyring.provisionTenant(tenantId)).toBe(true);
    expect(await keyring.provisionTenant(tenantId)).toBe(false);
    return { keyring, fields, tenantId };
  }

  it('round-trips fields and lets another replica read them', async () => {
    const { fields, tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.lastName' };
    const ciphertext = await fields.encrypt(ctx, "O'Brien");
    expect(await replica().fields.decrypt(ctx, ciphertext)).toBe("O'Brien");
    const { rows } = await owner.query(
      `SELECT wrapped_key FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`,
      [ctx.subjectId],
    );
    expect(rows).toHaveLength(1);
  });

  it('preloads a page of patients in one query; a shredded or keyless one still reports on its own', async () => {
    const { fields, keyring, tenantId } = await givenTenant();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    const cts = await Promise.all(
      ids.map((subjectId) => fields.encrypt({ tenantId, subjectId, field: 'patient.lastName' }, subjectId)),
    );
    await keyring.shredSubject(tenantId, ids[4]!);
    const keyless = randomUUID();
    const store = createPgKeyStore(app, SCHEMA);
    const reads = { one: 0, many: 0 };
    const counted = {
      ...store,
      loadSubject: (t: string, s: string) => ((reads.one += 1), store.loadSubject(t, s)),
      loadSubjects: (t: string, s: readonly string[]) => ((reads.many += 1), store.loadSubjects!(t, s)),
    };
    const reader = createFieldCipher(createKeyring({ kms, kekId: 'medspa-kek', store: counted }));
    await reader.preload(tenantId, [...ids, keyless, 'not-a-uuid']);
    expect(reads).toEqual({ one: 0, many: 1 });
    for (const [i, subjectId] of ids.slice(0, 4).entries()) {
      const cipher = await reader.forSubject(tenantId, subjectId.toUpperCase());
      expect(cipher.decrypt('patient.lastName', cts[i]!)).toBe(subjectId);
    }
    expect(reads).toEqual({ one: 0, many: 1 });
    await expect(reader.forSubject(tenantId, ids[4]!)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    const none = await reader.forSubject(tenantId, keyless);
    expect(() => none.encrypt('patient.lastName', 'x')).toThrow(
      expect.objectContaining({ reason: 'KEY_NOT_FOUND' }),
    );
    expect(reads).toEqual({ one: 2, many: 1 });
    await reader.preload(tenantId, ids.slice(0, 4));
    expect(reads.many).toBe(1); // all cached: no query at all
  });

  it('creates the keys of a batch of new patients in one transaction, keeping existing ones', async () => {
    const { fields, keyring, tenantId } = await givenTenant();
    const known = randomUUID();
    const ct = await fields.encrypt({ tenantId, subjectId: known, field: 'patient.lastName' }, 'Okafor');
    const fresh = Array.from({ length: 4 }, () => randomUUID());
    const store = createPgKeyStore(app, SCHEMA);
    const calls = { loadSubject: 0, addSubjectKey: 0, addSubjectKeys: 0 };
    const counted = {
      ...store,
      loadSubject: (t: string, s: string) => ((calls.loadSubject += 1), store.loadSubject(t, s)),
      addSubjectKey: (...a: Parameters<typeof store.addSubjectKey>) => (
        (calls.addSubjectKey += 1),
        store.addSubjectKey(...a)
      ),
      addSubjectKeys: (...a: Parameters<NonNullable<typeof store.addSubjectKeys>>) => (
        (calls.addSubjectKeys += 1),
        store.addSubjectKeys!(...a)
      ),
    };
    const writer = createFieldCipher(createKeyring({ kms, kekId: 'medspa-kek', store: counted }));
    await writer.preload(tenantId, [known, ...fresh, fresh[0]!], { create: true });
    expect(calls).toEqual({ loadSubject: 0, addSubjectKey: 0, addSubjectKeys: 1 });
    expect((await writer.forSubject(tenantId, known)).decrypt('patient.lastName', ct)).toBe('Okafor');
    for (const subjectId of fresh) {
      const sealed = (await writer.forSubject(tenantId, subjectId, { create: true })).encrypt('f', subjectId);
      expect(await replica().fields.decrypt({ tenantId, subjectId, field: 'f' }, sealed)).toBe(subjectId);
    }
    expect(calls.loadSubject).toBe(0);
    const { rows } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${SCHEMA}.crypto_subject_keys WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(rows[0]?.n).toBe(5);
    // A shredded patient in the batch is refused as a single write would be; the others still get keys.
    const erased = randomUUID();
    await keyring.shredSubject(tenantId, erased);
    const more = randomUUID();
    await expect(writer.preload(tenantId, [more, erased], { create: true })).rejects.toMatchObject({
      reason: 'KEY_SHREDDED',
    });
    expect((await writer.forSubject(tenantId, more)).encrypt('f', 'x')).toMatch(/./);
  });

  it('gives a new patient one data key when two replicas write first at once', async () => {
    const { tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.firstName' };
    const [a, b] = [replica(), replica()];
    const [ca, cb] = await Promise.all([a.fields.encrypt(ctx, 'Ann'), b.fields.encrypt(ctx, 'Bea')]);
    expect(await b.fields.decrypt(ctx, ca)).toBe('Ann');
    expect(await a.fields.decrypt(ctx, cb)).toBe('Bea');
    const { rows } = await owner.query(`SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`, [
      ctx.subjectId,
    ]);
    expect(rows).toHaveLength(1);
  });

  it("makes a new patient's key inside the writer's transaction: gone on rollback, shreds wait for it", async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const keyRows = async () =>
      (await owner.query(`SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`, [subjectId]))
        .rowCount;
    const failing = keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) => {
      subjectCipher(await keysOf(subjectId)).encrypt('f', 'lost');
      throw new Error('append failed');
    });
    await expect(failing).rejects.toThrow('append failed');
    expect(await keyRows()).toBe(0);
    expect(await keyring.cachedSubjectKeys(tenantId, subjectId)).toBeUndefined();

    let shred: Promise<unknown> = Promise.resolve();
    let shredDone = false;
    const sealed = await keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) => {
      const ct = subjectCipher(await keysOf(subjectId)).encrypt('f', 'kept');
      shred = keyring.shredSubject(tenantId, subjectId).then(() => (shredDone = true));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(shredDone).toBe(false); // the Patient's lock is held until this transaction ends
      return ct;
    });
    expect(await keyring.cachedSubjectKeys(tenantId, subjectId)).toBeDefined(); // committed: cached
    await shred;
    expect(await keyRows()).toBe(0);
    const ctx = { tenantId, subjectId, field: 'f' };
    await expect(replica().fields.decrypt(ctx, sealed)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    const again = keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) => keysOf(subjectId));
    await expect(again).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
  });

  it("sends BEGIN with a new patient's key; a write that starts otherwise is still one transaction", async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const query = vi.spyOn(pg.Client.prototype, 'query');
    const sentOn = (client: unknown) =>
      query.mock.calls
        .filter((_, i) => query.mock.contexts[i] === client)
        .map(([q]) => (typeof q === 'string' ? q : (q as { text: string }).text).trim().split(/\s+/)[0]);
    try {
      let tx: unknown;
      await keyring.writeWithSubjectKeys(tenantId, async (client, keysOf) => {
        tx = client;
        await keysOf(subjectId);
        await client.query(`INSERT INTO ${SCHEMA}.patient_search VALUES ($1, $2, 'first')`, [
          tenantId,
          subjectId,
        ]);
      });
      expect(sentOn(tx)).toEqual(['BEGIN;', 'INSERT', 'COMMIT']);
      query.mockClear();

      // Keys cached: the first statement is the write's own, and BEGIN goes just ahead of it.
      const failing = keyring.writeWithSubjectKeys(tenantId, async (client, keysOf) => {
        tx = client;
        await keysOf(subjectId);
        await client.query(`INSERT INTO ${SCHEMA}.patient_search VALUES ($1, $2, 'lost')`, [
          tenantId,
          subjectId,
        ]);
        throw new Error('append failed');
      });
      await expect(failing).rejects.toThrow('append failed');
      expect(sentOn(tx)).toEqual(['BEGIN', 'INSERT', 'ROLLBACK']);
    } finally {
      query.mockRestore();
    }
    const { rows } = await owner.query(`SELECT token FROM ${SCHEMA}.patient_search WHERE subject_id = $1`, [
      subjectId,
    ]);
    expect(rows).toEqual([{ token: 'first' }]);
  });

  /** A write's statement with the offer's condition in it (the event store puts it in its append). */
  const holds = async (condition: WriteCondition, db: pg.Pool | pg.PoolClient = app) =>
    (await db.query<{ ok: boolean }>(`SELECT ${condition.sql(1)} AS ok`, condition.values)).rows[0]!.ok;

  it("offers a new patient's key for a write's own statement: stored once, readable once stored", async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const offer = (await keyring.offerSubjectKey(tenantId, subjectId))!;
    const sealed = subjectCipher(offer.keys).encrypt('f', 'first');
    expect(await keyring.cachedSubjectKeys(tenantId, subjectId)).toBeUndefined();
    expect(await holds(offer.condition)).toBe(true);
    offer.stored();
    expect(await keyring.cachedSubjectKeys(tenantId, subjectId)).toBe(offer.keys);
    expect(await replica().fields.decrypt({ tenantId, subjectId, field: 'f' }, sealed)).toBe('first');
    // The patient has a key now: another offer (a retry, another replica) does not go in.
    const second = (await replica().keyring.offerSubjectKey(tenantId, subjectId))!;
    expect(await holds(second.condition)).toBe(false);
    const { rowCount } = await owner.query(
      `SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`,
      [subjectId],
    );
    expect(rowCount).toBe(1);
  });

  it('an offer waits for a committing shred, sees its tombstone and stores nothing', async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const offer = (await replica().keyring.offerSubjectKey(tenantId, subjectId))!;
    const client = await app.connect();
    try {
      await client.query('BEGIN');
      await keyring.shredSubject(tenantId, subjectId, { client }); // holds the Patient's lock
      const outcome = holds(offer.condition);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.query('COMMIT');
      expect(await outcome).toBe(false);
    } finally {
      client.release();
    }
    const { rowCount } = await owner.query(
      `SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`,
      [subjectId],
    );
    expect(rowCount).toBe(0);
  });

  it('an offer wrapped under a TEK that has since rotated does not go in', async () => {
    const { keyring, tenantId } = await givenTenant();
    const stale = (await keyring.offerSubjectKey(tenantId, randomUUID()))!;
    await replica().keyring.rotateTenantKey(tenantId);
    expect(await holds(stale.condition)).toBe(false);
  });

  it('a writer that waited for a committing shred sees its tombstone and makes no key', async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const client = await app.connect();
    try {
      await client.query('BEGIN');
      await keyring.shredSubject(tenantId, subjectId, { client }); // holds the Patient's lock
      const writing = replica().keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) =>
        keysOf(subjectId),
      );
      const outcome = writing.then(
        () => 'written',
        (e: unknown) => e,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await client.query('COMMIT');
      expect(await outcome).toMatchObject({ reason: 'KEY_SHREDDED' });
    } finally {
      client.release();
    }
    const { rowCount } = await owner.query(
      `SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`,
      [subjectId],
    );
    expect(rowCount).toBe(0);
  });

  it('rotates the KEK and a TEK by re-wrapping keys only', async () => {
    const { keyring, fields, tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.phone' };
    const ciphertext = await fields.encrypt(ctx, '+14155550100');
    const token = createBlindIndex(await keyring.blindIndexKey(tenantId)).phone(
      'patient.phone',
      '4155550100',
    );

    const kek = await keyring.rotateKek();
    const stale = await owner.query(
      `SELECT kek_ref FROM ${SCHEMA}.crypto_tenant_keys WHERE kek_ref <> $1
       UNION ALL SELECT kek_ref FROM ${SCHEMA}.crypto_blind_index_keys WHERE kek_ref <> $1`,
      [kek.kekRef],
    );
    expect(stale.rows).toEqual([]);
    expect(kek.rewrapped).toBeGreaterThanOrEqual(2);

    expect(await keyring.rotateTenantKey(tenantId)).toMatchObject({
      tekVersion: 2,
      oldVersionsDropped: true,
    });
    const teks = await owner.query(`SELECT version FROM ${SCHEMA}.crypto_tenant_keys WHERE tenant_id = $1`, [
      tenantId,
    ]);
    expect(teks.rows).toEqual([{ version: 2 }]);

    const fresh = replica();
    expect(await fresh.fields.decrypt(ctx, ciphertext)).toBe('+14155550100');
    expect(
      createBlindIndex(await fresh.keyring.blindIndexKey(tenantId)).phone('patient.phone', '4155550100'),
    ).toBe(token);
  });

  it("shreds a patient in the caller's transaction, purging through the hook; a rollback undoes it", async () => {
    const { keyring, fields, tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.lastName' };
    const ciphertext = await fields.encrypt(ctx, 'Doe');
    await app.query(`INSERT INTO ${SCHEMA}.patient_search VALUES ($1, $2, 'tok')`, [tenantId, ctx.subjectId]);
    keyring.onSubjectShredded(async (event, tx) => {
      await tx.query(`DELETE FROM ${SCHEMA}.patient_search WHERE tenant_id = $1 AND subject_id = $2`, [
        event.tenantId,
        event.subjectId,
      ]);
    });
    const client = await app.connect();
    try {
      await client.query('BEGIN');
      await keyring.shredSubject(tenantId, ctx.subjectId, { client });
      await client.query('ROLLBACK');
      expect(await replica().fields.decrypt(ctx, ciphertext)).toBe('Doe');

      await client.query('BEGIN');
      const event = await keyring.shredSubject(tenantId, ctx.subjectId, { client });
      await client.query('COMMIT');
      expect(event).toMatchObject({ type: 'SubjectKeysShredded', dekVersions: 1 });
    } finally {
      client.release();
    }
    const search = await app.query(`SELECT 1 FROM ${SCHEMA}.patient_search WHERE subject_id = $1`, [
      ctx.subjectId,
    ]);
    expect(search.rows).toEqual([]);
    await expect(replica().fields.decrypt(ctx, ciphertext)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(fields.decrypt(ctx, ciphertext)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(replica().fields.encrypt(ctx, 'Doe')).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
  });

  it('a failing purge hook rolls the shred back', async () => {
    const { keyring, fields, tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.lastName' };
    const ciphertext = await fields.encrypt(ctx, 'Roe');
    keyring.onSubjectShredded(() => {
      throw new Error('read model unavailable');
    });
    await expect(keyring.shredSubject(tenantId, ctx.subjectId)).rejects.toThrow('read model unavailable');
    expect(await replica().fields.decrypt(ctx, ciphertext)).toBe('Roe');
  });

  it('shreds a whole tenant, leaving only the tombstone', async () => {
    const { keyring, fields, tenantId } = await givenTenant();
    const patients = [randomUUID(), randomUUID()].map((subjectId) => ({ tenantId, subjectId, field: 'f' }));
    const ciphertexts = await Promise.all(patients.map((ctx) => fields.encrypt(ctx, 'x')));
    const reader = replica();
    expect(await reader.fields.decrypt(patients[0]!, ciphertexts[0]!)).toBe('x'); // cached on this replica
    expect(await keyring.shredTenant(tenantId)).toMatchObject({ dekVersions: 2 });
    const left = await owner.query(
      `SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE tenant_id = $1 UNION ALL
       SELECT 1 FROM ${SCHEMA}.crypto_tenant_keys WHERE tenant_id = $1 UNION ALL
       SELECT 1 FROM ${SCHEMA}.crypto_blind_index_keys WHERE tenant_id = $1`,
      [tenantId],
    );
    expect(left.rows).toEqual([]);
    // The other replica's cache still holds patient 0 until its TTL; patient 1 was never cached there.
    await expect(reader.fields.decrypt(patients[1]!, ciphertexts[1]!)).rejects.toMatchObject({
      reason: 'KEY_SHREDDED',
    });
    await expect(replica().keyring.blindIndexKey(tenantId)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
  });
});
