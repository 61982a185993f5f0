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
  const getJwks = options.getJwks ?? fetchJwksFrom(options.jwksUrl);
  const keys = createJwksKeyResolver({
    getJwks,
    now,
    ...(options.minRefetchIntervalMs === undefined
      ? {}
      : { minRefetchIntervalMs: options.minRefetchIntervalMs }),
  });
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          algorithms: [SIGNING_ALGORITHM],
          issuer: options.issuer,
          audience: options.audience ?? PLATFORM_AUDIENCE,
          typ: ACCESS_TOKEN_TYPE,
          // Enforce the 15-minute lifetime here too, so a misissued long-lived token is useless.
          maxTokenAge: ACCESS_TOKEN_TTL_SECONDS,
          clockTolerance: options.clockToleranceSec ?? 5,
          requiredClaims: ['exp', 'iat', 'sub', 'tid', 'role', 'sid'],
          currentDate: new Date(now()),
        });
        return principalFromClaims(payload);
      } catch (e) {
        throw toAuthError(e);
      }
    },
  };
}

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
