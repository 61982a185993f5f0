import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalFileKms } from './local-file-kms.js';

describe('local key-file KMS', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'medspa-kms-')), 'kms');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  const context = { tenant_id: 't1', purpose: 'medspa-tenant-key' };

  it('creates a 256-bit KEK in a 0600 file inside a 0700 directory on first use', async () => {
    const kms = createLocalFileKms({ dir });
    const secret = randomBytes(32);
    const wrapped = await kms.wrap('medspa-kek', secret, context);
    expect(wrapped.keyRef).toBe('medspa-kek:v1');
    expect(wrapped.ciphertext.includes(secret)).toBe(false);
    expect((await stat(path.join(dir, 'medspa-kek.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const file = JSON.parse(await readFile(path.join(dir, 'medspa-kek.json'), 'utf8')) as {
      versions: { key: string }[];
    };
    expect(Buffer.from(file.versions[0]!.key, 'base64')).toHaveLength(32);
    expect(await kms.unwrap(wrapped.keyRef, wrapped.ciphertext, context)).toEqual(secret);
  });

  it('refuses a different context, key reference or a tampered blob', async () => {
    const kms = createLocalFileKms({ dir });
    const { keyRef, ciphertext } = await kms.wrap('medspa-kek', randomBytes(32), context);
    await expect(kms.unwrap(keyRef, ciphertext, { ...context, tenant_id: 't2' })).rejects.toMatchObject({
      reason: 'CIPHERTEXT_INVALID',
    });
    await expect(kms.unwrap('medspa-kek:v2', ciphertext, context)).rejects.toThrow();
    const tampered = Buffer.from(ciphertext);
    tampered[tampered.length - 1]! ^= 1;
    await expect(kms.unwrap(keyRef, tampered, context)).rejects.toThrow();
  });

  it('rotation adds a version; old wraps still unwrap, also in another process', async () => {
    const kms = createLocalFileKms({ dir });
    const secret = randomBytes(32);
    const old = await kms.wrap('medspa-kek', secret, context);
    const otherProcess = createLocalFileKms({ dir });
    expect(await otherProcess.currentKeyRef('medspa-kek')).toBe('medspa-kek:v1');
    expect(await kms.rotateKey('medspa-kek')).toBe('medspa-kek:v2');
    const newer = await kms.wrap('medspa-kek', secret, context);
    expect(newer.keyRef).toBe('medspa-kek:v2');
    // The other instance read v1 only; it reloads on meeting v2.
    expect(await otherProcess.unwrap(newer.keyRef, newer.ciphertext, context)).toEqual(secret);
    expect(await otherProcess.unwrap(old.keyRef, old.ciphertext, context)).toEqual(secret);
    expect((await stat(path.join(dir, 'medspa-kek.json'))).mode & 0o777).toBe(0o600);
  });

  it('services starting together end up with one and the same KEK', async () => {
    const instances = Array.from({ length: 5 }, () => createLocalFileKms({ dir }));
    const wrapped = await Promise.all(
      instances.map((kms) => kms.wrap('medspa-kek', Buffer.from('k'), context)),
    );
    for (const w of wrapped) {
      expect(await createLocalFileKms({ dir }).unwrap(w.keyRef, w.ciphertext, context)).toEqual(
        Buffer.from('k'),
      );
    }
  });

  it('refuses a key file readable by others, a missing key without autoCreate, and odd key ids', async () => {
    await createLocalFileKms({ dir }).wrap('medspa-kek', Buffer.from('k'), context);
    await chmod(path.join(dir, 'medspa-kek.json'), 0o644);
    await expect(createLocalFileKms({ dir }).currentKeyRef('medspa-kek')).rejects.toMatchObject({
      reason: 'KMS_KEY_FILE_INSECURE',
    });
    await expect(createLocalFileKms({ dir, autoCreate: false }).currentKeyRef('other')).rejects.toMatchObject(
      {
        reason: 'KMS_KEY_NOT_FOUND',
      },
    );
    await expect(createLocalFileKms({ dir }).currentKeyRef('../etc/passwd')).rejects.toMatchObject({
      kind: 'validation',
    });
  });
});
