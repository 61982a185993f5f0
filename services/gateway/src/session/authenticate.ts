import { scopeOf, type Principal, type TokenVerifier } from '@medspa/auth';
import { errors } from '@medspa/errors';
import type { Access } from '../routes/route.js';
import type { SessionGuard } from './session-guard.js';

export interface EdgeAuthDeps {
  verifier: TokenVerifier;
  sessions: SessionGuard;
}

/** Who is calling, as far as the edge knows: the raw token to forward and, when verified, the principal. */
export interface EdgeCaller {
  token: string | undefined;
  principal: Principal | undefined;
}

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/** The bearer token of an Authorization header; a malformed header is refused, not ignored. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? BEARER.exec(header.trim()) : null;
  if (match === null)
    throw errors.unauthenticated('TOKEN_MALFORMED', 'Expected Authorization: Bearer <token>');
  return match[1];
}

const required = (token: string | undefined): string => {
  if (token === undefined) throw errors.unauthenticated('TOKEN_MISSING', 'An access token is required');
  return token;
};

/**
 * The edge's checks for a route, before any upstream call: a verified platform token (signature,
 * expiry, audience, issuer), a live session (not idle past 15 minutes, not logged out), and the
 * route's permission in the role table. The services verify and authorize again (zero trust).
 */
export async function authenticate(
  deps: EdgeAuthDeps,
  access: Access,
  authorization: string | string[] | undefined,
): Promise<EdgeCaller> {
  switch (access.kind) {
    case 'public':
      // Anonymous by design: a token sent along is neither checked nor forwarded.
      return { token: undefined, principal: undefined };
    case 'identity':
      return { token: required(bearerToken(authorization)), principal: undefined };
    case 'signed-in':
    case 'permission': {
      const token = required(bearerToken(authorization));
      const principal = await deps.verifier.verify(token);
      // Service tokens are for calls between services, never for the public edge.
      if (principal.isService)
        throw errors.forbidden('PERMISSION_DENIED', 'Service tokens are not accepted here');
      const verdict = await deps.sessions.admit(principal.sessionId);
      if (verdict === 'idle') {
        throw errors.unauthenticated('SESSION_IDLE', 'Signed out after 15 minutes without activity');
      }
      if (verdict === 'revoked') throw errors.unauthenticated('SESSION_REVOKED', 'The session has ended');
      if (access.kind === 'permission') authorize(principal, access);
      return { token, principal };
    }
    default: {
      const _exhaustive: never = access;
      return _exhaustive;
    }
  }
}

/** One of the route's permissions, from libs/auth's role table; `never` routes are closed to `own` grants. */
export function authorize(principal: Principal, access: Extract<Access, { kind: 'permission' }>): void {
  const reaches = access.permissions.some((permission) => {
    const scope = scopeOf(principal, permission);
    return scope === 'tenant' || (scope === 'own' && access.patients === 'own');
  });
  if (!reaches) {
    throw errors.forbidden(
      'PERMISSION_DENIED',
      `Role ${principal.role} may not ${access.permissions.join(' or ')}`,
    );
  }
}

/** Whether a role passes the edge check of a route (the authorization matrix test reads this). */
export function edgeAllows(role: Principal['role'], access: Access): boolean {
  if (access.kind !== 'permission') return true;
  try {
    authorize({ userId: 'u', tenantId: 't', role, sessionId: 's', isService: role === 'service' }, access);
    return true;
  } catch {
    return false;
  }
}
