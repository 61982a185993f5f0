import { SIGNING_ALGORITHM } from '@medspa/auth';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import {
  publishedKeys,
  rotateKeyRing,
  type KeyRing,
  type SigningKeyPair,
  type SigningKeySet,
} from './signing-keys.js';

/** A fresh Ed25519 pair; the private key is not extractable, so it can never be logged or exported. */
export async function generateSigningKeyPair(createdAt: Date): Promise<SigningKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, {
    crv: 'Ed25519',
    extractable: false,
  });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }, createdAt };
}

/**
 * Signing keys held in this process: for embedded mode and tests. Keys die with the process, so
 * after a restart tokens signed before it no longer verify (users refresh; sessions survive).
 * `at` back-dates the first `next` key so that the first rotation is not refused as too early.
 */
export async function createInMemorySigningKeySet(at: Date): Promise<SigningKeySet> {
  const longAgo = new Date(0);
  let ring: KeyRing = {
    current: await generateSigningKeyPair(at),
    next: await generateSigningKeyPair(longAgo),
    retired: [],
  };
  return {
    signingKey: () => Promise.resolve({ kid: ring.current.kid, privateKey: ring.current.privateKey }),
    jwks: (when) => Promise.resolve({ keys: publishedKeys(ring, when) }),
    async rotate(when, options = {}) {
      const fresh = await generateSigningKeyPair(when);
      ring = rotateKeyRing(ring, fresh, when, options.emergency ?? false);
    },
  };
}
