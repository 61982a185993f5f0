import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCheckpoint, checkpointSignatureValid, trustedKeysFromPem } from './checkpoint-signer.js';
import { createLocalFileSigner } from './local-file-signer.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'audit-signer-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('createLocalFileSigner', () => {
  it('creates a 0600 key on first use and keeps using it', async () => {
    const file = path.join(dir, 'keys', 'checkpoint.pem');
    const first = createLocalFileSigner({ file });
    const keyId = await first.currentKeyId();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await createLocalFileSigner({ file }).currentKeyId()).toBe(keyId);
  });

  it('signs checkpoints that verify under its published public key', async () => {
    const signer = createLocalFileSigner({ file: path.join(dir, 'k.pem') });
    const trusted = trustedKeysFromPem([await signer.publicKeyPem()]);
    const checkpoint = await signCheckpoint(signer, {
      chainId: 'c',
      sequence: 1,
      headHash: Buffer.alloc(32),
      previousSequence: 0,
      signedAt: new Date(),
      keyId: await signer.currentKeyId(),
    });
    expect(checkpointSignatureValid(checkpoint, trusted)).toBe(true);
    await expect(signer.sign('ed25519:other', Buffer.from('x'))).rejects.toMatchObject({
      reason: 'CHECKPOINT_KEY_UNKNOWN',
    });
  });

  it('refuses a key file others can read, and a missing one when not auto-creating', async () => {
    const file = path.join(dir, 'k.pem');
    await createLocalFileSigner({ file }).currentKeyId();
    await chmod(file, 0o644);
    await expect(createLocalFileSigner({ file }).currentKeyId()).rejects.toMatchObject({
      reason: 'CHECKPOINT_KEY_INSECURE',
    });
    await expect(
      createLocalFileSigner({ file: path.join(dir, 'none.pem'), autoCreate: false }).currentKeyId(),
    ).rejects.toMatchObject({ reason: 'CHECKPOINT_KEY_NOT_FOUND' });
  });
});
