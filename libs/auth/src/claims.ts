import type { JWTPayload } from 'jose';
import { errors } from '@medspa/errors';
import type { Principal } from './principal.js';
import { isRole } from './roles.js';

/** The audience every platform access token is minted for. */
export const PLATFORM_AUDIENCE = 'medspa';
/** Access tokens live 15 minutes; the refresh token (identity service) carries the session on. */
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** RFC 9068 `typ`, so an ID token or any other JWT from the same key can't pass as an access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const SIGNING_ALGORITHM = 'EdDSA';
/** Service tokens have `sub: svc:<service name>` and role `service`. */
export const SERVICE_SUBJECT_PREFIX = 'svc:';

/** The claims of a platform access token as they travel in the JWT. */
export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  /** Tenant (clinic) id. */
  tid: string;
  role: string;
  /** Session id. */
  sid: string;
  /** Present only when the user invoked break-glass emergency access. */
  break_glass?: { reason: string };
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const invalid = (what: string) =>
  errors.unauthenticated('TOKEN_CLAIMS_INVALID', `The access token has an invalid ${what} claim`);

/** Turns verified claims into a Principal, refusing any claim that is missing or inconsistent. */
export function principalFromClaims(payload: JWTPayload): Principal {
  const { sub, tid, role, sid } = payload;
  if (!nonEmpty(sub)) throw invalid('sub');
  if (!nonEmpty(tid)) throw invalid('tid');
  if (!nonEmpty(sid)) throw invalid('sid');
  if (!isRole(role)) throw invalid('role');
  // Only a `svc:` subject may hold the service role, and it may hold no other: a user token that
  // claims `service` (or a service that claims a person's role) is forged or misissued.
  const isService = sub.startsWith(SERVICE_SUBJECT_PREFIX);
  if (isService !== (role === 'service')) throw invalid('role');
  const principal: Principal = { userId: sub, tenantId: tid, role, sessionId: sid, isService };
  const bg = payload['break_glass'];
  if (bg === undefined) return principal;
  const reason = typeof bg === 'object' && bg !== null ? (bg as { reason?: unknown }).reason : undefined;
  if (isService || !nonEmpty(reason)) throw invalid('break_glass');
  return { ...principal, breakGlass: { reason } };
}
