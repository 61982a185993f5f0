import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createFieldCipher } from './field-cipher.js';
import { decodeFieldCiphertext, FIELD_CIPHERTEXT_PREFIX } from './field-ciphertext.js';
import { createKeyring } from './keyring.js';
import { createMemoryKeyStore } from './memory-key-store.js';
import { countingKms } from './unit-fixtures.js';

async function givenPatient() {
  const kms = countingKms();
  const memory = createMemoryKeyStore();
  const loads = { subject: 0 };
  const store: typeof memory = {
    ...memory,
    loadSubject: (...args) => {
      loads.subject++;
      return memory.loadSubject(...args);
    },
  };
  const keyring = createKeyring({ kms, kekId: 'test-kek', store });
  const fields = createFieldCipher(keyring);
  const tenantId = randomUUID();
  const subjectId = randomUUID();
  await keyring.provisionTenant(tenantId);
  const ctx = { tenantId, subjectId, field: 'patient.lastName' };
  return { keyring, fields, kms, loads, tenantId, subjectId, ctx };
}

/** Flips one bit of the decoded bytes at `index` (negative counts from the end). */
function flipBit(ciphertext: string, index: number): string {
  const bytes = Buffer.from(ciphertext.slice(FIELD_CIPHERTEXT_PREFIX.length), 'base64url');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return FIELD_CIPHERTEXT_PREFIX + bytes.toString('base64url');
}

describe('field encryption', () => {
  it('round-trips text, including empty and non-Latin values', async () => {
    const { fields, ctx } = await givenPatient();
    for (const value of ["O'Brien", '', 'Zoë 😊 山田', 'x'.repeat(10_000)]) {
      expect(await fields.decrypt(ctx, await fields.encrypt(ctx, value))).toBe(value);
    }
  });

  it('writes a versioned, self-describing ciphertext with a fresh IV each time', async () => {
    const { fields, ctx, subjectId } = await givenPatient();
    const a = await fields.encrypt(ctx, 'Jane');
    const b = await fields.encrypt(ctx, 'Jane');
    expect(a).not.toBe(b);
    expect(a.startsWith('phi:')).toBe(true);
    expect(a).not.toContain('Jane');
    expect(decodeFieldCiphertext(a)).toMatchObject({ subjectId, dekVersion: 1 });
    // IVs come from a buffered CSPRNG: none repeats, across several refills of the buffer.
    const cipher = await fields.forSubject(ctx.tenantId, subjectId);
    const ivs = Array.from({ length: 1000 }, () =>
      decodeFieldCiphertext(cipher.encrypt(ctx.field, 'Jane')).sealed.subarray(0, 12).toString('hex'),
    );
    expect(new Set(ivs).size).toBe(ivs.length);
  });

  it.each([
    ['format version', 0],
    ['subject id', 5],
    ['DEK version', 20],
    ['IV', 25],
    ['ciphertext', -20],
    ['tag', -1],
  ])('refuses a ciphertext whose %s was tampered with', async (_part, index) => {
    const { fields, ctx } = await givenPatient();
    const tampered = flipBit(await fields.encrypt(ctx, 'Jane Doe'), index);
    await expect(fields.decrypt(ctx, tampered)).rejects.toMatchObject({ reason: 'CIPHERTEXT_INVALID' });
  });

  it('refuses truncated, re-encoded and foreign strings', async () => {
    const { fields, ctx } = await givenPatient();
    const good = await fields.encrypt(ctx, 'Jane Doe');
    for (const bad of [good.slice(0, 40), `${good}!`, 'Jane Doe', 'phi:', good.replace('phi:', 'phx:')]) {
      await expect(fields.decrypt(ctx, bad)).rejects.toMatchObject({ reason: 'CIPHERTEXT_INVALID' });
    }
    // Spare bits set in the last character: Buffer.from decodes the very same bytes, yet it is refused.
    for (const plaintext of ['Jane Doe!', 'Jane Doe!!']) {
      const sealed = await fields.encrypt(ctx, plaintext);
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const stray = sealed.slice(0, -1) + alphabet[alphabet.indexOf(sealed.at(-1)!) + 1]!;
      expect(Buffer.from(stray.slice(4), 'base64url')).toEqual(Buffer.from(sealed.slice(4), 'base64url'));
      await expect(fields.decrypt(ctx, stray)).rejects.toMatchObject({ reason: 'CIPHERTEXT_INVALID' });
    }
  });

  it('binds a ciphertext to its tenant, patient and field (AAD)', async () => {
    const { fields, keyring, ctx } = await givenPatient();
    const ciphertext = await fields.encrypt(ctx, '1980-02-29');
    const otherPatient = { ...ctx, subjectId: randomUUID() };
    await fields.encrypt(otherPatient, 'has a key too');
    const otherTenant = { ...ctx, tenantId: randomUUID() };
    await keyring.provisionTenant(otherTenant.tenantId);
    await fields.encrypt(otherTenant, 'has a key too');
    for (const wrong of [{ ...ctx, field: 'patient.firstName' }, otherPatient, otherTenant]) {
      await expect(fields.decrypt(wrong, ciphertext)).rejects.toMatchObject({ reason: 'CIPHERTEXT_INVALID' });
    }
  });

  it('unwraps a chart of 50 encounters with one key load, synchronously per field', async () => {
    const { keyring, fields, kms, loads, ctx, tenantId, subjectId } = await givenPatient();
    const notes = Array.from({ length: 50 }, (_, i) => `encounter note ${i}`);
    const writer = await fields.forSubject(tenantId, subjectId, { create: true });
    const stored = notes.map((n) => writer.encrypt('encounter.note', n));
    keyring.forget(tenantId); // cold cache: a new request on another replica
    const [unwrapsBefore, loadsBefore] = [kms.unwraps, loads.subject];
    // Concurrent single-field reads share one load...
    const decrypted = await Promise.all(
      stored.map((c) => fields.decrypt({ ...ctx, field: 'encounter.note' }, c)),
    );
    expect(decrypted).toEqual(notes);
    // ...and so does the synchronous chart reader.
    const chart = await fields.forSubject(tenantId, subjectId);
    expect(stored.map((c) => chart.decrypt('encounter.note', c))).toEqual(notes);
    expect(loads.subject - loadsBefore).toBe(1);
    expect(kms.unwraps - unwrapsBefore).toBe(2); // the tenant's TEK and blind-index key, once
  });

  it('does not create keys on reads, and validates ids', async () => {
    const { fields, tenantId } = await givenPatient();
    const reader = await fields.forSubject(tenantId, randomUUID());
    expect(() => reader.encrypt('patient.lastName', 'x')).toThrow(
      expect.objectContaining({ reason: 'KEY_NOT_FOUND' }),
    );
    await expect(fields.encrypt({ tenantId, subjectId: 'patient-1', field: 'f' }, 'x')).rejects.toMatchObject(
      {
        kind: 'validation',
      },
    );
  });

  it('refuses tenants that were never provisioned', async () => {
    const { fields } = await givenPatient();
    const ctx = { tenantId: randomUUID(), subjectId: randomUUID(), field: 'patient.lastName' };
    await expect(fields.encrypt(ctx, 'x')).rejects.toMatchObject({ reason: 'TENANT_NOT_PROVISIONED' });
  });
});
