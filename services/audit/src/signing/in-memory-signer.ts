import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { CheckpointSigner, TrustedKeys } from './checkpoint-signer.js';
import { ed25519KeyId, signWithKey } from './checkpoint-signer.js';

export interface InMemorySigner extends CheckpointSigner {
  publicKey: KeyObject;
  /** Just this signer's key, as a verifier would be configured. */
  trustedKeys: TrustedKeys;
}

/** A fresh Ed25519 key held in memory: for tests and throwaway processes. */
export function createInMemorySigner(): InMemorySigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyId = ed25519KeyId(publicKey);
  return {
    publicKey,
    trustedKeys: new Map([[keyId, publicKey]]),
    currentKeyId: () => Promise.resolve(keyId),
    sign: (requested, statement) =>
      requested === keyId
        ? Promise.resolve(signWithKey(privateKey, statement))
        : Promise.reject(new Error(`Unknown checkpoint key ${requested}`)),
  };
}
