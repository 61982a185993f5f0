import { randomUUID } from 'node:crypto';
import { SignJWT, type CryptoKey, type KeyObject } from 'jose';
import type { BreakGlass } from './principal.js';
import type { Role } from './roles.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  ACCESS_TOKEN_TYPE,
  PLATFORM_AUDIENCE,
  SIGNING_ALGORITHM,
  type AccessTokenClaims,
} from './claims.js';

/** An Ed25519 private key, as jose's generateKeyPair/importJWK/importPKCS8 return it. */
export type SigningKey = CryptoKey | KeyObject;

export interface AccessTokenInput {
  /** Key id published in the JWKS, so verifiers can pick the key and follow rotation. */
  kid: string;
  issuer: string;
  audience?: string;
  subject: string;
  tenantId: string;
  role: Role;
  sessionId: string;
  breakGlass?: BreakGlass;
  /** 1..900 seconds; defaults to the 15-minute maximum. */
  ttlSeconds?: number;
  /** When the token is issued; defaults to now (tests back-date it to mint expired tokens). */
  issuedAt?: Date;
}

/** Signs a platform access token (EdDSA, `typ: at+jwt`). Used by identity, service signers and tests. */
export async function signAccessToken(privateKey: SigningKey, input: AccessTokenInput): Promise<string> {
  const ttl = input.ttlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > ACCESS_TOKEN_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer in 1..${ACCESS_TOKEN_TTL_SECONDS}`);
  }
  const iat = Math.floor((input.issuedAt?.getTime() ?? Date.now()) / 1000);
  const claims: Omit<AccessTokenClaims, 'sub'> = {
    tid: input.tenantId,
    role: input.role,
    sid: input.sessionId,
  };
  if (input.breakGlass !== undefined) claims.break_glass = { reason: input.breakGlass.reason };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: input.kid })
    .setIssuer(input.issuer)
    .setAudience(input.audience ?? PLATFORM_AUDIENCE)
    .setSubject(input.subject)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(privateKey);
}
