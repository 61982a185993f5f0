import { ACCESS_TOKEN_TTL_SECONDS, type SigningKey } from '@medspa/auth';
import type { JSONWebKeySet, JWK } from 'jose';

/** One Ed25519 key pair; `kid` is the RFC 7638 thumbprint of its public half. */
export interface SigningKeyPair {
  kid: string;
  privateKey: SigningKey;
  /** The public key as published: kty, crv, x, plus kid, alg and use. */
  publicJwk: JWK;
  createdAt: Date;
}

/**
 * The keys identity holds at one time. `next` is published before it signs anything, so every
 * verifier's cached JWKS already has it when rotation promotes it (libs/auth refetches an
 * unknown kid at most every 30 s, and refreshes its cache every 10 min). Retired keys stay
 * published until every token they signed has expired.
 */
export interface KeyRing {
  current: SigningKeyPair;
  next: SigningKeyPair;
  retired: ReadonlyArray<SigningKeyPair & { retiredAt: Date }>;
}

/** A retired key is published this long after retirement: the token lifetime plus clock skew. */
export const RETIRED_KEY_OVERLAP_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;
/** `next` must have been published this long before it may sign: the verifiers' JWKS cache age plus margin. */
export const NEXT_KEY_MIN_PUBLISHED_SECONDS = 15 * 60;

/**
 * Port: where the signing keys live and how they rotate. In memory for now; the cluster's
 * implementation keeps private keys wrapped by the KMS (libs/crypto) and shares the ring
 * between replicas.
 */
export interface SigningKeySet {
  /** The key that signs access tokens now. */
  signingKey(): Promise<Pick<SigningKeyPair, 'kid' | 'privateKey'>>;
  /** The JWKS to serve at `at`: next, current, and retired keys still inside their overlap. */
  jwks(at: Date): Promise<JSONWebKeySet>;
  /**
   * Promotes `next` to current and makes a new `next`. `emergency` (a leaked key) withdraws the
   * current key at once instead of retiring it, which invalidates every token it signed, and
   * skips the wait for `next` to have been published long enough.
   */
  rotate(at: Date, options?: { emergency?: boolean }): Promise<void>;
}

/** The ring after a rotation at `at`, with `fresh` as the new next key. Pure. */
export function rotateKeyRing(ring: KeyRing, fresh: SigningKeyPair, at: Date, emergency = false): KeyRing {
  const publishedFor = (at.getTime() - ring.next.createdAt.getTime()) / 1000;
  if (!emergency && publishedFor < NEXT_KEY_MIN_PUBLISHED_SECONDS) {
    throw new RangeError(`The next key has been published for ${Math.floor(publishedFor)} s only`);
  }
  const live = ring.retired.filter((k) => stillPublished(k.retiredAt, at));
  return {
    current: ring.next,
    next: fresh,
    retired: emergency ? live : [...live, { ...ring.current, retiredAt: at }],
  };
}

const stillPublished = (retiredAt: Date, at: Date): boolean =>
  at.getTime() - retiredAt.getTime() < RETIRED_KEY_OVERLAP_SECONDS * 1000;

/** The public keys to publish at `at`, newest first. Pure. */
export function publishedKeys(ring: KeyRing, at: Date): JWK[] {
  return [
    ring.next,
    ring.current,
    ...ring.retired.filter((k) => stillPublished(k.retiredAt, at)).reverse(),
  ].map((k) => ({ ...k.publicJwk }));
}
