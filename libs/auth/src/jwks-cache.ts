import {
  createLocalJWKSet,
  errors as joseErrors,
  type CryptoKey,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from 'jose';
import { errors } from '@medspa/errors';

export interface JwksCacheOptions {
  getJwks: () => Promise<JSONWebKeySet>;
  /** Least time between two fetches, however many unknown `kid`s arrive. Default 30 s. */
  minRefetchIntervalMs?: number;
  /** Refetch proactively after this long, so a withdrawn key stops verifying. Default 10 min. */
  maxAgeMs?: number;
  now?: () => number;
}

/** A jose key resolver over a cached JWKS. */
export type JwksKeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/**
 * Resolves signing keys from a cached JWKS. An unknown `kid` triggers one refetch (to follow key
 * rotation), but fetches are single-flight and at most one per `minRefetchIntervalMs`, counted
 * from the attempt, so a flood of forged kids — or an identity service that is down — cannot
 * turn into a flood of requests to identity.
 */
export function createJwksKeyResolver(options: JwksCacheOptions): JwksKeyResolver {
  const minInterval = options.minRefetchIntervalMs ?? 30_000;
  const maxAge = options.maxAgeMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let attemptedAt = Number.NEGATIVE_INFINITY;
  let inflight: Promise<void> | undefined;

  const refresh = (): Promise<void> => {
    inflight ??= (async () => {
      attemptedAt = now();
      try {
        const jwks = await options.getJwks();
        keys = createLocalJWKSet(jwks);
        fetchedAt = now();
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };

  // Waits for a fetch in progress, or starts one if the rate limit allows; false if neither.
  const tryRefresh = async (): Promise<boolean> => {
    if (inflight === undefined && now() - attemptedAt < minInterval) return false;
    try {
      await (inflight ?? refresh());
      return true;
    } catch (e) {
      if (keys === undefined) {
        throw errors.unavailable('JWKS_UNAVAILABLE', 'The signing keys could not be fetched', { cause: e });
      }
      return false; // keep verifying with the keys we have until identity is back
    }
  };

  return async (header, token) => {
    if (header.kid === undefined) {
      throw errors.unauthenticated('TOKEN_INVALID', 'The access token has no key id');
    }
    if (keys === undefined || now() - fetchedAt > maxAge) await tryRefresh();
    if (keys === undefined) {
      throw errors.unavailable('JWKS_UNAVAILABLE', 'The signing keys are not available yet');
    }
    try {
      return await keys(header, token);
    } catch (e) {
      if (!(e instanceof joseErrors.JWKSNoMatchingKey)) throw e;
      if (!(await tryRefresh())) throw e;
      return keys(header, token);
    }
  };
}

/** Fetches a JWKS document over HTTP(S), failing after `timeoutMs`. */
export function fetchJwksFrom(url: string | URL, timeoutMs = 5_000): () => Promise<JSONWebKeySet> {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (!res.ok) throw new Error(`JWKS fetch failed with HTTP ${res.status}`);
    const body = await res.json();
    if (typeof body !== 'object' || body === null || !Array.isArray((body as JSONWebKeySet).keys)) {
      throw new Error('JWKS response has no keys array');
    }
    return body as JSONWebKeySet;
  };
}
