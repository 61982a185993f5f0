import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isKeyShredded } from './crypto-errors.js';
import { createInMemoryCrypto } from './in-memory-crypto.js';
import type { SubjectKeysShredded } from './shredding.js';

async function givenTwoPatients() {
  const { keyring, fields } = createInMemoryCrypto();
  const tenantId = randomUUID();
  await keyring.provisionTenant(tenantId);
  const jane = { tenantId, subjectId: randomUUID(), field: 'patient.lastName' };
  const john = { ...jane, subjectId: randomUUID() };
  const janeCt = await fields.encrypt(jane, 'Doe');
  const johnCt = await fields.encrypt(john, 'Roe');
  return { keyring, fields, tenantId, jane, john, janeCt, johnCt };
}

describe('crypto-shredding', () => {
  it('makes a shredded patient unreadable, for good, and leaves the others alone', async () => {
    const { keyring, fields, jane, john, janeCt, johnCt } = await givenTwoPatients();
    // Cached before the shred: the shred must evict it.
    expect(await fields.decrypt(jane, janeCt)).toBe('Doe');
    const event = await keyring.shredSubject(jane.tenantId, jane.subjectId);
    expect(event).toMatchObject({ type: 'SubjectKeysShredded', subjectId: jane.subjectId, dekVersions: 1 });
    const failure = await fields.decrypt(jane, janeCt).catch((e: unknown) => e);
    expect(isKeyShredded(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: 'precondition', reason: 'KEY_SHREDDED' });
    await expect(fields.encrypt(jane, 'Doe again')).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(fields.forSubject(jane.tenantId, jane.subjectId)).rejects.toMatchObject({
      reason: 'KEY_SHREDDED',
    });
    expect(await fields.decrypt(john, johnCt)).toBe('Roe');
    // Idempotent: a retried erasure request succeeds and destroys nothing more.
    expect(await keyring.shredSubject(jane.tenantId, jane.subjectId)).toMatchObject({ dekVersions: 0 });
  });

  it('hands the event and the transaction to purge hooks, which can be removed', async () => {
    const { keyring, jane, john } = await givenTwoPatients();
    const seen: [SubjectKeysShredded, unknown][] = [];
    const remove = keyring.onSubjectShredded((event, tx) => {
      seen.push([event, tx]);
    });
    const client = { memory: true as const };
    await keyring.shredSubject(jane.tenantId, jane.subjectId, { client });
    remove();
    await keyring.shredSubject(john.tenantId, john.subjectId);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.[0].subjectId).toBe(jane.subjectId);
    expect(seen[0]?.[1]).toBe(client);
  });

  it('shredding a tenant makes every field and its blind-index key unreadable', async () => {
    const { keyring, fields, tenantId, jane, john, janeCt, johnCt } = await givenTwoPatients();
    const tenants: string[] = [];
    keyring.onTenantShredded((event) => {
      tenants.push(event.tenantId);
    });
    expect(await keyring.shredTenant(tenantId)).toMatchObject({ type: 'TenantKeysShredded', dekVersions: 2 });
    expect(tenants).toEqual([tenantId]);
    await expect(fields.decrypt(jane, janeCt)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(fields.decrypt(john, johnCt)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(keyring.blindIndexKey(tenantId)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
    await expect(fields.encrypt({ ...jane, subjectId: randomUUID() }, 'x')).rejects.toMatchObject({
      reason: 'KEY_SHREDDED',
    });
    await expect(keyring.rotateTenantKey(tenantId)).rejects.toMatchObject({ reason: 'KEY_SHREDDED' });
  });

  it('refuses to shred a tenant it does not know', async () => {
    const { keyring } = createInMemoryCrypto();
    await expect(keyring.shredTenant(randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
  });
});
