import { randomBytes, randomUUID } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKms, type RunningLocalKms } from '../../../infra/local-kms.js';
import { createAwsKms, ensureAwsKek } from './aws-kms.js';
import { createInMemoryCrypto } from './in-memory-crypto.js';

describe('AWS KMS adapter (against local-kms)', () => {
  let emulator: RunningLocalKms;
  let client: KMSClient;

  beforeAll(async () => {
    emulator = await startLocalKms();
    client = new KMSClient({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  const context = { purpose: 'medspa-tenant-key', tenant_id: randomUUID(), version: '1' };

  it('wraps and unwraps under an alias, bound to the encryption context', async () => {
    const alias = `alias/medspa-kek-${randomUUID()}`;
    const arn = await ensureAwsKek(client, alias);
    expect(await ensureAwsKek(client, alias)).toBe(arn);
    const kms = createAwsKms(client);
    const secret = randomBytes(32);
    const wrapped = await kms.wrap(alias, secret, context);
    expect(wrapped.keyRef).toBe(arn);
    expect(await kms.currentKeyRef(alias)).toBe(arn);
    expect(await kms.unwrap(wrapped.keyRef, wrapped.ciphertext, context)).toEqual(secret);
    await expect(
      kms.unwrap(wrapped.keyRef, wrapped.ciphertext, { ...context, tenant_id: 'other' }),
    ).rejects.toMatchObject({ reason: 'KEY_UNWRAP_FAILED' });
  });

  it('rotation moves the alias to a new key; old wraps still unwrap by their ARN', async () => {
    const alias = `alias/medspa-kek-${randomUUID()}`;
    const first = await ensureAwsKek(client, alias);
    const kms = createAwsKms(client);
    const old = await kms.wrap(alias, Buffer.from('tek'), context);
    const second = await kms.rotateKey(alias);
    expect(second).not.toBe(first);
    expect((await kms.wrap(alias, Buffer.from('tek'), context)).keyRef).toBe(second);
    expect(await kms.unwrap(old.keyRef, old.ciphertext, context)).toEqual(Buffer.from('tek'));
    await expect(kms.rotateKey(first)).rejects.toMatchObject({ reason: 'KMS_ROTATION_UNSUPPORTED' });
  });

  it('maps a missing key to KMS_KEY_NOT_FOUND', async () => {
    await expect(
      createAwsKms(client).wrap('alias/does-not-exist', Buffer.from('x'), context),
    ).rejects.toMatchObject({
      reason: 'KMS_KEY_NOT_FOUND',
    });
  });

  it('backs a keyring end to end, through a KEK rotation', async () => {
    const alias = `alias/medspa-kek-${randomUUID()}`;
    await ensureAwsKek(client, alias);
    const { keyring, fields } = createInMemoryCrypto({ kms: createAwsKms(client), kekId: alias });
    const ctx = { tenantId: randomUUID(), subjectId: randomUUID(), field: 'patient.lastName' };
    await keyring.provisionTenant(ctx.tenantId);
    const ciphertext = await fields.encrypt(ctx, 'Doe');
    const rotated = await keyring.rotateKek();
    expect(rotated.rewrapped).toBe(2);
    keyring.forget(ctx.tenantId);
    expect(await fields.decrypt(ctx, ciphertext)).toBe('Doe');
  });
});
