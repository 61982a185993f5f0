import { errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import { AppError, errors } from '@medspa/errors';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  ACCESS_TOKEN_TYPE,
  PLATFORM_AUDIENCE,
  SIGNING_ALGORITHM,
  principalFromClaims,
} from './claims.js';
import { createJwksKeyResolver, fetchJwksFrom } from './jwks-cache.js';
import type { Principal } from './principal.js';
import { keyFingerprints, VerifiedTokenCache } from './verify-cache.js';

type JwksSource =
  { jwksUrl: string | URL; getJwks?: never } | { getJwks: () => Promise<JSONWebKeySet>; jwksUrl?: never };

export type TokenVerifierOptions = JwksSource & {
  /** Accepted `iss` values (identity's URL; more than one during an issuer move). */
  issuer: string | string[];
  /** Expected `aud`; defaults to the platform audience `medspa`. */
  audience?: string;
  /** Allowed clock skew between services. Default 5 s. */
  clockToleranceSec?: number;
  /** Least time between JWKS fetches triggered by unknown kids. Default 30 s. */
  minRefetchIntervalMs?: number;
  /** Refetch the JWKS after this long, so a withdrawn key stops verifying. Default 10 min. */
  maxKeyAgeMs?: number;
  /**
   * How many verified tokens to remember (LRU, keyed by a hash of the token), so a token sent on
   * every call is checked once. An entry lasts until the token expires or the key set is due for
   * refresh, whichever is first, and is dropped when its key is withdrawn. Default 10 000; 0 = off.
   */
  cacheMaxEntries?: number;
  /** Clock for tests. */
  now?: () => number;
};

/** Verifies access tokens and says who is calling. */
export interface TokenVerifier {
  /** The principal of a valid token; otherwise throws `unauthenticated` (or `unavailable` if keys can't be had). */
  verify(token: string): Promise<Principal>;
}

/** A verifier for EdDSA access tokens: signature, `exp`, `aud`, `iss`, `typ` and our claims. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const fetchJwks = options.getJwks ?? fetchJwksFrom(options.jwksUrl);
  const maxKeyAgeMs = options.maxKeyAgeMs ?? DEFAULT_MAX_KEY_AGE_MS;
  const cache = new VerifiedTokenCache(options.cacheMaxEntries ?? 10_000);
  // The key set as last fetched: cached principals are only good while their key is in it unchanged.
  let published: ReadonlyMap<string, string> = new Map();
  let fetchedAt = Number.NEGATIVE_INFINITY;
  const getJwks = async () => {
    const jwks = await fetchJwks();
    published = keyFingerprints(jwks);
    fetchedAt = now();
    cache.keysChanged(published);
    return jwks;
  };
  const keys = createJwksKeyResolver({
    getJwks,
    now,
    maxAgeMs: maxKeyAgeMs,
    ...(options.minRefetchIntervalMs === undefined
      ? {}
      : { minRefetchIntervalMs: options.minRefetchIntervalMs }),
  });
  return {
    async verify(token) {
      const cacheKey = VerifiedTokenCache.keyOf(token);
      const cached = cache.get(cacheKey, now(), published);
      if (cached !== undefined) return cached;
      let usedKey: { kid: string; fingerprint: string | undefined; fetchedAt: number } | undefined;
      try {
        const { payload } = await jwtVerify(
          token,
          async (header, input) => {
            const key = await keys(header, input);
            usedKey = { kid: header.kid ?? '', fingerprint: published.get(header.kid ?? ''), fetchedAt };
            return key;
          },
          {
            algorithms: [SIGNING_ALGORITHM],
            issuer: options.issuer,
            audience: options.audience ?? PLATFORM_AUDIENCE,
            typ: ACCESS_TOKEN_TYPE,
            // Enforce the 15-minute lifetime here too, so a misissued long-lived token is useless.
            maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
            clockTolerance: options.clockToleranceSec ?? 5,
            requiredClaims: ['exp', 'iat', 'sub', 'tid', 'role', 'sid'],
            currentDate: new Date(now()),
          },
        );
        const principal = principalFromClaims(payload);
        // Remember it until the token ends (exp, or iat + 15 min: no clock tolerance granted) or the
        // key set is due for a refresh, and only if the key is still published as it was when used.
        if (usedKey?.fingerprint !== undefined && published.get(usedKey.kid) === usedKey.fingerprint) {
          const expiresAt = Math.min(
            payload.exp! * 1000,
            (payload.iat! + ACCESS_TOKEN_TTL_SECONDS) * 1000,
            usedKey.fetchedAt + maxKeyAgeMs,
          );
          cache.set(
            cacheKey,
            { principal, expiresAt, kid: usedKey.kid, keyFingerprint: usedKey.fingerprint },
            now(),
          );
        }
        return principal;
      } catch (e) {
        throw toAuthError(e);
      }
    },
  };
}

/** The JWKS resolver's default (`createJwksKeyResolver` maxAgeMs). */
const DEFAULT_MAX_KEY_AGE_MS = 10 * 60_000;

// Distinct reasons help clients react (refresh on expiry) and operators diagnose; the messages
// never echo token contents.
function toAuthError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const unauth = (reason: string, message: string) => errors.unauthenticated(reason, message, { cause: e });
  if (e instanceof joseErrors.JWTExpired) return unauth('TOKEN_EXPIRED', 'The access token has expired');
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    switch (e.claim) {
      case 'aud':
        return unauth('TOKEN_WRONG_AUDIENCE', 'The access token is not meant for this platform');
      case 'iss':
        return unauth('TOKEN_WRONG_ISSUER', 'The access token comes from an unknown issuer');
      case 'nbf':
      case 'iat':
        return unauth('TOKEN_NOT_YET_VALID', 'The access token is not valid yet');
      case 'typ':
        return unauth('TOKEN_WRONG_TYPE', 'The token is not an access token');
      default:
        return unauth('TOKEN_CLAIMS_INVALID', 'The access token has invalid claims');
    }
  }
  if (e instanceof joseErrors.JWKSNoMatchingKey) {
    return unauth('TOKEN_UNKNOWN_KEY', 'The access token is signed with an unknown key');
  }
  if (e instanceof joseErrors.JWSInvalid || e instanceof joseErrors.JWTInvalid) {
    return unauth('TOKEN_MALFORMED', 'The access token is malformed');
  }
  // Signature mismatch, disallowed algorithm, unusable key: all "do not trust this token".
  return unauth('TOKEN_INVALID', 'The access token is invalid');
}
