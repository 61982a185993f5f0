import { describe, expect, it } from 'vitest';
import { checkpointStatement, type CheckpointClaim } from '../domain/checkpoint-statement.js';
import { checkpointSignatureValid, signCheckpoint, trustedKeysFromPem } from './checkpoint-signer.js';
import { createInMemorySigner } from './in-memory-signer.js';

const claim = (keyId: string): CheckpointClaim => ({
  chainId: '0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e5f',
  sequence: 1000,
  headHash: Buffer.alloc(32, 0xab),
  previousSequence: 500,
  signedAt: new Date('2025-06-01T12:00:00.000Z'),
  keyId,
});

describe('checkpoint signing', () => {
  it('signs the canonical statement with Ed25519 and verifies under the trusted key', async () => {
    const signer = createInMemorySigner();
    const checkpoint = await signCheckpoint(signer, claim(await signer.currentKeyId()));
    expect(checkpoint.signature).toHaveLength(64);
    expect(checkpointSignatureValid(checkpoint, signer.trustedKeys)).toBe(true);
    expect(checkpointStatement(checkpoint).toString()).toBe(
      '{"chainId":"0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e5f","format":"medspa.audit.checkpoint.v1",' +
        `"headHash":"${'ab'.repeat(32)}","keyId":"${checkpoint.keyId}","previousSequence":500,` +
        '"sequence":1000,"signedAt":"2025-06-01T12:00:00.000Z"}',
    );
  });

  it('fails for any changed field, a flipped signature bit, or an untrusted key', async () => {
    const signer = createInMemorySigner();
    const checkpoint = await signCheckpoint(signer, claim(await signer.currentKeyId()));
    const changed = [
      { ...checkpoint, sequence: 1001 },
      { ...checkpoint, previousSequence: 0 },
      { ...checkpoint, chainId: '0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e60' },
      { ...checkpoint, headHash: Buffer.alloc(32, 0xac) },
      { ...checkpoint, signedAt: new Date('2025-06-01T12:00:00.001Z') },
    ];
    for (const c of changed) expect(checkpointSignatureValid(c, signer.trustedKeys)).toBe(false);
    for (let bit = 0; bit < 512; bit += 37) {
      const signature = Buffer.from(checkpoint.signature);
      signature[bit >> 3]! ^= 1 << (bit & 7);
      expect(checkpointSignatureValid({ ...checkpoint, signature }, signer.trustedKeys)).toBe(false);
    }
    expect(checkpointSignatureValid(checkpoint, createInMemorySigner().trustedKeys)).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, signature: Buffer.alloc(3) }, signer.trustedKeys)).toBe(
      false,
    );
  });

  it('builds trusted keys from PEM and names them by fingerprint', async () => {
    const signer = createInMemorySigner();
    const pem = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const keys = trustedKeysFromPem([pem]);
    expect([...keys.keys()]).toEqual([await signer.currentKeyId()]);
    expect(() => trustedKeysFromPem(['not a key'])).toThrow();
  });
});
