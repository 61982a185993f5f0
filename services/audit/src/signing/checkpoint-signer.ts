import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import {
  checkpointStatement,
  type Checkpoint,
  type CheckpointClaim,
} from '../domain/checkpoint-statement.js';

/**
 * The port to whatever holds the checkpoint signing key (a local key file now, a KMS or HSM in the
 * cluster). The private key never leaves it. Keeping it outside the database is the whole point:
 * someone who can rewrite every row still cannot produce a checkpoint that verifies.
 */
export interface CheckpointSigner {
  /** The key that signs new checkpoints now; it changes on rotation. */
  currentKeyId(): Promise<string>;
  /** Ed25519 signature of `statement` under `keyId`. */
  sign(keyId: string, statement: Uint8Array): Promise<Buffer>;
}

/**
 * The Ed25519 public keys a verifier accepts, by key id. They must come from outside the audit
 * database (configuration, the compliance team's copy): keys read from the database could be an
 * attacker's. Keep every key that ever signed, also after rotation.
 */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

/** A key id derived from the public key itself (`ed25519:` + 32 hex of SHA-256 of its SPKI). */
export function ed25519KeyId(publicKey: KeyObject): string {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 32)}`;
}

/** Trusted keys from PEM public keys (SPKI) or private keys, named by `ed25519KeyId`. */
export function trustedKeysFromPem(pems: readonly string[]): TrustedKeys {
  const keys = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('A trusted checkpoint key must be Ed25519');
    keys.set(ed25519KeyId(key), key);
  }
  return keys;
}

/** Signs a claim through the port. */
export async function signCheckpoint(signer: CheckpointSigner, claim: CheckpointClaim): Promise<Checkpoint> {
  const signature = await signer.sign(claim.keyId, checkpointStatement(claim));
  return { ...claim, signature };
}

/** Whether a checkpoint's signature verifies under a trusted key; an unknown key id never verifies. */
export function checkpointSignatureValid(checkpoint: Checkpoint, trusted: TrustedKeys): boolean {
  const key = trusted.get(checkpoint.keyId);
  if (key === undefined) return false;
  try {
    return verify(null, checkpointStatement(checkpoint), key, checkpoint.signature);
  } catch {
    return false; // malformed signature bytes
  }
}

/** Signs with an Ed25519 private key held in this process (the local adapters share it). */
export function signWithKey(privateKey: KeyObject, statement: Uint8Array): Buffer {
  return sign(null, statement, privateKey);
}
