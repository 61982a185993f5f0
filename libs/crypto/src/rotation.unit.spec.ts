import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBlindIndex } from './blind-index.js';
import { createFieldCipher } from './field-cipher.js';
import { createKeyring } from './keyring.js';
import { createInMemoryKms } from './local-keyset.js';
import { createMemoryKeyStore } from './memory-key-store.js';

async function givenChart() {
  const kms = createInMemoryKms();
  const store = createMemoryKeyStore();
  const keyring = createKeyring({ kms, kekId: 'medspa-kek', store });
  const fields = createFieldCipher(keyring);
  const tenantId = randomUUID();
  await keyring.provisionTenant(tenantId);
  const patients = [randomUUID(), randomUUID(), randomUUID()];
  const written = await Promise.all(
    patients.map(async (subjectId) => {
      const ctx = { tenantId, subjectId, field: 'patient.lastName' };
      return {
        ctx,
        ciphertext: await fields.encrypt(ctx, `Name of ${subjectId}`),
        plaintext: `Name of ${subjectId}`,
      };
    }),
  );
  // What another replica, with nothing cached, would do after the rotation.
  const freshReader = () => createFieldCipher(createKeyring({ kms, kekId: 'medspa-kek', store }));
  const token = async () =>
    createBlindIndex(await keyring.blindIndexKey(tenantId)).name('patient.lastName', 'Smith');
  return { kms, store, keyring, fields, tenantId, written, freshReader, token };
}

describe('key rotation', () => {
  it('rotating the KEK re-wraps every TEK and blind-index key; old ciphertexts stay readable', async () => {
    const { kms, store, keyring, written, freshReader, token } = await givenChart();
    const tokenBefore = await token();
    const result = await keyring.rotateKek();
    expect(result).toEqual({ kekRef: 'medspa-kek:v2', rewrapped: 2 });
    expect(await store.listKekWrappingsNotUnder(await kms.currentKeyRef('medspa-kek'), 10)).toEqual([]);
    const reader = freshReader();
    for (const w of written) expect(await reader.decrypt(w.ctx, w.ciphertext)).toBe(w.plaintext);
    expect(await token()).toBe(tokenBefore);
    expect(await keyring.rewrapTenantKeys()).toEqual({ kekRef: 'medspa-kek:v2', rewrapped: 0 });
  });

  it('rotating a TEK re-wraps every data key and drops the old TEK', async () => {
    const { store, keyring, fields, tenantId, written, freshReader, token } = await givenChart();
    const tokenBefore = await token();
    const result = await keyring.rotateTenantKey(tenantId);
    expect(result).toEqual({ tekVersion: 2, rewrapped: 3, oldVersionsDropped: true });
    const stored = await store.loadTenant(tenantId);
    expect(stored?.teks.map((t) => t.version)).toEqual([2]);
    const reader = freshReader();
    for (const w of written) expect(await reader.decrypt(w.ctx, w.ciphertext)).toBe(w.plaintext);
    // New Patients get keys under the new TEK.
    const ctx = { tenantId, subjectId: randomUUID(), field: 'patient.lastName' };
    expect(await reader.decrypt(ctx, await fields.encrypt(ctx, 'New'))).toBe('New');
    expect(await token()).toBe(tokenBefore);
  });

  it('rotating a patient key seals new fields with it and keeps old ones readable', async () => {
    const { keyring, fields, written, freshReader } = await givenChart();
    const [first] = written;
    expect(await keyring.rotateSubjectKey(first!.ctx.tenantId, first!.ctx.subjectId)).toBe(2);
    const newer = await fields.encrypt(first!.ctx, 'Renamed');
    const reader = freshReader();
    expect(await reader.decrypt(first!.ctx, first!.ciphertext)).toBe(first!.plaintext);
    expect(await reader.decrypt(first!.ctx, newer)).toBe('Renamed');
  });

  it('a reader that cached version 1 picks up a data key version written elsewhere', async () => {
    const { keyring, written, freshReader } = await givenChart();
    const [first] = written;
    const reader = freshReader();
    expect(await reader.decrypt(first!.ctx, first!.ciphertext)).toBe(first!.plaintext);
    await keyring.rotateSubjectKey(first!.ctx.tenantId, first!.ctx.subjectId);
    const newer = await createFieldCipher(keyring).encrypt(first!.ctx, 'Renamed');
    expect(await reader.decrypt(first!.ctx, newer)).toBe('Renamed');
  });
});
