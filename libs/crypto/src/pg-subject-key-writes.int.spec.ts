import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { subjectCipher } from './field-cipher.js';
import { SCHEMA, usePgKeyStore } from './pg-key-store.fixture.js';

// A new patient's first write: where its data key is made (the writer's transaction, or the
// write's own statement through an offer), and how that races replicas and shreds.
describe("Postgres key store: a new patient's key", () => {
  const { env, replica, givenTenant, keyRowsOf, holds, duringShred } = usePgKeyStore();

  it('gives a new patient one data key when two replicas write first at once', async () => {
    const { tenantId } = await givenTenant();
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.firstName' };
    const [a, b] = [replica(), replica()];
    const [ca, cb] = await Promise.all([a.fields.encrypt(ctx, 'Ann'), b.fields.encrypt(ctx, 'Bea')]);
    expect(await b.fields.decrypt(ctx, ca)).toBe('Ann');
    expect(await a.fields.decrypt(ctx, cb)).toBe('Bea');
    const { rows } = await env.owner.query(
      `SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`,
      [ctx.subjectId],
    );
    expect(rows).toHaveLength(1);
  });

  it("makes a new patient's key inside the writer's transaction: gone on rollback, shreds wait for it", async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const keyRows = async () =>
      (
        await env.owner.query(`SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`, [
          subjectId,
        ])
      ).rowCount;
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
    const { rows } = await env.owner.query(
      `SELECT token FROM ${SCHEMA}.patient_search WHERE subject_id = $1`,
      [subjectId],
    );
    expect(rows).toEqual([{ token: 'first' }]);
  });

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
    const { rowCount } = await env.owner.query(
      `SELECT 1 FROM ${SCHEMA}.crypto_subject_keys WHERE subject_id = $1`,
      [subjectId],
    );
    expect(rowCount).toBe(1);
  });

  it('an offer waits for a committing shred, sees its tombstone and stores nothing', async () => {
    const { keyring, tenantId } = await givenTenant();
    const subjectId = randomUUID();
    const offer = (await replica().keyring.offerSubjectKey(tenantId, subjectId))!;
    expect(await duringShred(keyring, tenantId, subjectId, () => holds(offer.condition))).toBe(false);
    expect(await keyRowsOf(subjectId)).toBe(0);
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
    const outcome = await duringShred(keyring, tenantId, subjectId, () =>
      replica().keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) => keysOf(subjectId)),
    );
    expect(outcome).toMatchObject({ reason: 'KEY_SHREDDED' });
    expect(await keyRowsOf(subjectId)).toBe(0);
  });
});
