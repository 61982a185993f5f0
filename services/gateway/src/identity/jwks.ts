import type { GetJwksResponse, Jwk } from '@medspa/contracts/medspa.identity.v1';

export type { Jwk };

/** The port the gateway reads identity's public signing keys through (gRPC `GetJwks` in main.ts). */
export interface JwksSource {
  getJwks(): Promise<Pick<GetJwksResponse, 'keys'>>;
}

export interface CachedJwksOptions {
  ttlMs: number;
  now?: () => number;
}

/**
 * Identity's key set, kept for `ttlMs`: verifiers poll the endpoint and must not turn every poll
 * into a gRPC call. Concurrent misses share one call. A failed call is not cached, and no stale
 * set is served when identity is down: after an emergency rotation the old set must not linger.
 */
export function cachedJwks(source: JwksSource, options: CachedJwksOptions): JwksSource {
  const now = options.now ?? Date.now;
  let cached: { value: Pick<GetJwksResponse, 'keys'>; at: number } | undefined;
  let pending: Promise<Pick<GetJwksResponse, 'keys'>> | undefined;
  return {
    getJwks() {
      if (cached !== undefined && now() - cached.at < options.ttlMs) return Promise.resolve(cached.value);
      pending ??= source
        .getJwks()
        .then((value) => {
          cached = { value, at: now() };
          return value;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
  };
}
