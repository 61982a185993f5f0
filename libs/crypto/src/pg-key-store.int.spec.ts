import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBlindIndex } from './blind-index.js';
import { createFieldCipher } from './field-cipher.js';
import { createKeyring } from './keyring.js';
import { SCHEMA, usePgKeyStore } from './pg-key-store.fixture.js';
import { createPgKeyStore } from './pg-key-store.js';

describe('Postgres key store', () => {
  const { env, replica, givenTenant } = usePgKeyStore();

  it('round-trips fields and lets another replica read them', async () => {
    const { fields, tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.lastName' };
    const ciphertext = await fields.encrypt(ctx, "O'Brien");
    expect(await replica().fields.decrypt(ctx, ciphertext)).toBe("O'Brien");
    const { rows } = await env.owner.query(
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
    const store = createPgKeyStore(env.app, SCHEMA);
    const reads = { one: 0, many: 0 };
    const counted = {
      ...store,
      loadSubject: (t: string, s: string) => ((reads.one += 1), store.loadSubject(t, s)),
      loadSubjects: (t: string, s: readonly string[]) => ((reads.many += 1), store.loadSubjects!(t, s)),
    };
    const reader = createFieldCipher(createKeyring({ kms: env.kms, kekId: 'medspa-kek', store: counted }));
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
    const store = createPgKeyStore(env.app, SCHEMA);
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
    const writer = createFieldCipher(createKeyring({ kms: env.kms, kekId: 'medspa-kek', store: counted }));
    await writer.preload(tenantId, [known, ...fresh, fresh[0]!], { create: true });
    expect(calls).toEqual({ loadSubject: 0, addSubjectKey: 0, addSubjectKeys: 1 });
    expect((await writer.forSubject(tenantId, known)).decrypt('patient.lastName', ct)).toBe('Okafor');
    for (const subjectId of fresh) {
      const sealed = (await writer.forSubject(tenantId, subjectId, { create: true })).encrypt('f', subjectId);
      expect(await replica().fields.decrypt({ tenantId, subjectId, field: 'f' }, sealed)).toBe(subjectId);
    }
    expect(calls.loadSubject).toBe(0);
    const { rows } = await env.owner.query<{ n: number }>(
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

  it('rotates the KEK and a TEK by re-wrapping keys only', async () => {
    const { keyring, fields, tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.phone' };
    const ciphertext = await fields.encrypt(ctx, '+14155550100');
    const token = createBlindIndex(await keyring.blindIndexKey(tenantId)).phone(
      'patient.phone',
      '4155550100',
    );

    const kek = await keyring.rotateKek();
    const stale = await env.owner.query(
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
    const teks = await env.owner.query(
      `SELECT version FROM ${SCHEMA}.crypto_tenant_keys WHERE tenant_id = $1`,
      [tenantId],
    );
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
    await env.app.query(`INSERT INTO ${SCHEMA}.patient_search VALUES ($1, $2, 'tok')`, [
      tenantId,
      ctx.subjectId,
    ]);
    keyring.onSubjectShredded(async (event, tx) => {
      await tx.query(`DELETE FROM ${SCHEMA}.patient_search WHERE tenant_id = $1 AND subject_id = $2`, [
        event.tenantId,
        event.subjectId,
      ]);
    });
    const client = await env.app.connect();
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
    const search = await env.app.query(`SELECT 1 FROM ${SCHEMA}.patient_search WHERE subject_id = $1`, [
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
    const left = await env.owner.query(
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
