import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { RefreshTokenRef } from '../domain/session/decide.js';

/*
 * Refresh tokens are opaque: `msrt1.<familyId>.<tokenId>.<secret>`, the secret being 256 random
 * bits. The family is the session (its stream id), the token id names this link of the rotation
 * chain, and only the SHA-256 of the whole token is ever stored. The `msrt1` prefix versions the
 * format and lets secret scanners and log redaction recognise a leaked token.
 */
export const REFRESH_TOKEN_PREFIX = 'msrt1';
const SECRET_BYTES = 32;
const PART = /^[A-Za-z0-9_-]{1,64}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedRefreshToken {
  /** Give this to the client once; never store or log it. */
  token: string;
  familyId: string;
  tokenId: string;
  /** SHA-256 of the token, unpadded base64url: what events and the database keep. */
  tokenHash: string;
}

export interface ParsedRefreshToken {
  familyId: string;
  tokenId: string;
}

/** SHA-256 of a token as stored (unpadded base64url, 43 characters). */
export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/** A new token in a family (session); the token id is a fresh UUID unless given. */
export function issueRefreshToken(familyId: string, tokenId: string = randomUUID()): IssuedRefreshToken {
  if (!PART.test(familyId) || !PART.test(tokenId)) {
    throw new RangeError('familyId and tokenId must be URL-safe ids');
  }
  const token = `${REFRESH_TOKEN_PREFIX}.${familyId}.${tokenId}.${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { token, familyId, tokenId, tokenHash: hashRefreshToken(token) };
}

/** Family and token id of a well-formed token, or undefined; says nothing about validity. */
export function parseRefreshToken(token: string): ParsedRefreshToken | undefined {
  if (token.length > 256) return undefined;
  const parts = token.split('.');
  if (parts.length !== 4) return undefined;
  const [prefix, familyId, tokenId, secret] = parts as [string, string, string, string];
  if (
    prefix !== REFRESH_TOKEN_PREFIX ||
    !PART.test(familyId) ||
    !PART.test(tokenId) ||
    !SECRET.test(secret)
  ) {
    return undefined;
  }
  return { familyId, tokenId };
}

/**
 * What the Session decider needs to judge a presented token: its id and hash. Undefined for a
 * malformed token, which the caller refuses without loading any session.
 */
export function presentedRefreshToken(token: string): (ParsedRefreshToken & RefreshTokenRef) | undefined {
  const parsed = parseRefreshToken(token);
  return parsed === undefined ? undefined : { ...parsed, tokenHash: hashRefreshToken(token) };
}

/** Whether a token matches a stored hash, compared in constant time. */
export function refreshTokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashRefreshToken(token));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
