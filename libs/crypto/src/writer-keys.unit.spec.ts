import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { subjectCipher } from './field-cipher.js';
import { createInMemoryCrypto } from './in-memory-crypto.js';

describe("a writer's keys, made inside its transaction", () => {
  it('creates a new patient key once, reuses an existing one, and caches only after the commit', async () => {
    const { keyring, fields } = createInMemoryCrypto();
    const tenantId = randomUUID();
    const patientId = randomUUID();
    await keyring.provisionTenant(tenantId);
    const ct = await keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) => {
      const keys = await keysOf(patientId.toUpperCase());
      expect(await keysOf(patientId)).toBe(keys); // one lookup per patient and transaction
      expect(await keyring.cachedSubjectKeys(tenantId, patientId)).toBeUndefined();
      return subjectCipher(keys).encrypt('patient.lastName', 'Okafor');
    });
    expect(await keyring.cachedSubjectKeys(tenantId, patientId)).toBeDefined();
    expect(await fields.decrypt({ tenantId, subjectId: patientId, field: 'patient.lastName' }, ct)).toBe(
      'Okafor',
    );
    const again = await keyring.writeWithSubjectKeys(tenantId, async (_tx, keysOf) => keysOf(patientId));
    expect(again.current?.version).toBe(1);
  });

  it('refuses a shredded patient, an unprovisioned tenant and an invalid id', async () => {
    const { keyring } = createInMemoryCrypto();
    const tenantId = randomUUID();
    await keyring.provisionTenant(tenantId);
    const erased = randomUUID();
    await keyring.shredSubject(tenantId, erased);
    const write = (t: string, p: string) => keyring.writeWithSubjectKeys(t, async (_tx, keysOf) => keysOf(p));
    await expect(write(tenantId, erased)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(write(randomUUID(), randomUUID())).rejects.toMatchObject({
      reason: 'TENANT_NOT_PROVISIONED',
    });
    await expect(write(tenantId, 'not-a-uuid')).rejects.toMatchObject({ reason: 'INVALID_ID' });
  });
});
