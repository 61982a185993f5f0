import type { BreakGlass, UserRole } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand } from '@medspa/eventstore';
import { activeBreakGlass, breakGlassDecider } from '../domain/break-glass/decide.js';
import { accessTokenTtlSeconds, isSessionUsable, sessionRejection } from '../domain/session/queries.js';
import { sessionDecider } from '../domain/session/decide.js';
import type { SessionState } from '../domain/session/session.js';
import { secondsUntil } from '../domain/shared/time.js';
import type { TenantSettings } from '../domain/tenant/settings.js';
import { canAccessPhi } from '../domain/user/queries.js';
import { issueRefreshToken, presentedRefreshToken } from '../security/refresh-token.js';
import { breakGlassStreamId, metadataFor, selfActor, STREAM, type IdentityContext } from './context.js';
import { loadInTenant, registeredUser } from './load.js';

export interface SessionTokens {
  sessionId: string;
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  sessionExpiresAt: Date;
}

export interface IssuedAccess {
  accessToken: string;
  accessTokenExpiresAt: Date;
}

const refreshTokenInvalid = () =>
  errors.unauthenticated('REFRESH_TOKEN_INVALID', 'The refresh token is not valid');

/** An access token for a session at `at`: never past the session's end, nor a break-glass grant's. */
export async function issueAccess(
  ctx: IdentityContext,
  input: {
    session: SessionState;
    userId: string;
    tenantId: string;
    role: UserRole;
    sessionId: string;
    breakGlass?: { reason: string; expiresAt: Date };
    at: Date;
  },
): Promise<IssuedAccess> {
  const { at, breakGlass } = input;
  let ttlSeconds = accessTokenTtlSeconds(input.session, at);
  if (breakGlass !== undefined)
    ttlSeconds = Math.min(ttlSeconds, secondsUntil(at, breakGlass.expiresAt.getTime()));
  if (ttlSeconds < 1) throw errors.unauthenticated('SESSION_ENDED', 'The session has ended; sign in again');
  const claim: BreakGlass | undefined = breakGlass === undefined ? undefined : { reason: breakGlass.reason };
  const issued = await ctx.accessTokens.issue({
    userId: input.userId,
    tenantId: input.tenantId,
    role: input.role,
    sessionId: input.sessionId,
    ...(claim === undefined ? {} : { breakGlass: claim }),
    ttlSeconds,
    at,
  });
  return { accessToken: issued.token, accessTokenExpiresAt: issued.expiresAt };
}

/** Starts a session (its first refresh token) after a complete sign-in, and issues its tokens. */
export async function startSession(
  ctx: IdentityContext,
  input: {
    sessionId: string;
    userId: string;
    tenantId: string;
    role: UserRole;
    settings: TenantSettings;
    requestId: string;
  },
): Promise<SessionTokens> {
  const { sessionId, userId, tenantId } = input;
  const refresh = issueRefreshToken(sessionId);
  const at = ctx.now();
  const { state } = await handleCommand(ctx.store, sessionDecider, {
    streamId: sessionId,
    streamType: STREAM.session,
    command: {
      type: 'StartSession',
      sessionId,
      userId,
      tenantId,
      refreshToken: { tokenId: refresh.tokenId, tokenHash: refresh.tokenHash },
      idleTimeoutSeconds: input.settings.idleTimeoutMinutes * 60,
      lifetimeSeconds: input.settings.sessionLifetimeHours * 3600,
      at,
    },
    metadata: metadataFor(tenantId, selfActor(userId, input.role), input.requestId),
  });
  const access = await issueAccess(ctx, {
    session: state,
    userId,
    tenantId,
    role: input.role,
    sessionId,
    at,
  });
  return { sessionId, ...access, refreshToken: refresh.token, sessionExpiresAt: sessionEnd(state) };
}

const sessionEnd = (state: SessionState): Date =>
  state.status === 'none' ? new Date(0) : new Date(state.expiresAt);

/**
 * Refresh: rotates the refresh token and issues a new access token. A token already rotated away
 * revokes the whole session (someone else holds a copy); an idle or expired session is ended.
 */
export async function refreshSession(
  ctx: IdentityContext,
  input: { refreshToken: string; requestId: string },
): Promise<SessionTokens> {
  const presented = presentedRefreshToken(input.refreshToken);
  if (presented === undefined) throw refreshTokenInvalid();
  const sessionId = presented.familyId;
  const { state: before } = await ctx.store.aggregateStream(sessionId, sessionDecider);
  if (before.status === 'none') throw refreshTokenInvalid();
  const { tenantId, userId } = before;
  const user = await registeredUser(ctx, tenantId, userId);
  const metadata = metadataFor(tenantId, selfActor(userId, user.role), input.requestId);
  const next = issueRefreshToken(sessionId);
  const at = ctx.now();
  const { state, newEvents } = await handleCommand(ctx.store, sessionDecider, {
    streamId: sessionId,
    streamType: STREAM.session,
    command: {
      type: 'RefreshSession',
      presented: { tokenId: presented.tokenId, tokenHash: presented.tokenHash },
      next: { tokenId: next.tokenId, tokenHash: next.tokenHash },
      at,
    },
    metadata,
  });
  const rejection = sessionRejection(newEvents);
  if (rejection !== undefined) {
    if (newEvents.some((e) => e.type === 'RefreshTokenReuseDetected')) {
      ctx.logger.warn({ sessionId, userId, tenantId }, 'refresh token reuse: session revoked');
    }
    throw rejection;
  }
  // An account disabled, or staff whose MFA was reset, may not carry a session on.
  if (!canAccessPhi(user)) {
    await handleCommand(ctx.store, sessionDecider, {
      streamId: sessionId,
      streamType: STREAM.session,
      command: {
        type: 'RevokeSession',
        reason: user.status === 'disabled' ? 'user_disabled' : 'mfa_reset',
        at,
      },
      metadata,
    });
    throw errors.unauthenticated('SESSION_ENDED', 'The session has ended; sign in again');
  }
  const breakGlass = await currentBreakGlass(ctx, { sessionId, tenantId, metadata, at });
  const access = await issueAccess(ctx, {
    session: state,
    userId,
    tenantId,
    role: user.role,
    sessionId,
    ...(breakGlass === undefined ? {} : { breakGlass }),
    at,
  });
  return { sessionId, ...access, refreshToken: next.token, sessionExpiresAt: sessionEnd(state) };
}

/** The session's live break-glass grant, recording the expiry of a lapsed one on the way. */
async function currentBreakGlass(
  ctx: IdentityContext,
  input: { sessionId: string; tenantId: string; metadata: ReturnType<typeof metadataFor>; at: Date },
): Promise<{ reason: string; expiresAt: Date } | undefined> {
  const streamId = breakGlassStreamId(input.sessionId);
  const { state } = await loadInTenant(ctx, streamId, breakGlassDecider, input.tenantId);
  if (state.status !== 'active') return undefined;
  const live = activeBreakGlass(state, input.at);
  if (live !== undefined) return live;
  await handleCommand(ctx.store, breakGlassDecider, {
    streamId,
    streamType: STREAM.breakGlass,
    command: { type: 'ExpireBreakGlass', at: input.at },
    metadata: input.metadata,
  });
  return undefined;
}

/** The caller's session, if it is still usable now (zero trust: a token may outlive a logout). */
export async function usableSession(
  ctx: IdentityContext,
  input: { sessionId: string; tenantId: string; userId: string },
): Promise<SessionState> {
  const { state } = await loadInTenant(ctx, input.sessionId, sessionDecider, input.tenantId);
  if (state.status === 'none' || state.userId !== input.userId || !isSessionUsable(state, ctx.now())) {
    throw errors.unauthenticated('SESSION_ENDED', 'The session has ended; sign in again');
  }
  return state;
}

/** Logout: ends the caller's session; its refresh token stops working at once. */
export async function logout(
  ctx: IdentityContext,
  input: { sessionId: string; tenantId: string; userId: string; role: string; requestId: string },
): Promise<void> {
  const { state } = await loadInTenant(ctx, input.sessionId, sessionDecider, input.tenantId);
  if (state.status === 'none' || state.userId !== input.userId) {
    throw errors.notFound('SESSION_NOT_FOUND', 'The session does not exist');
  }
  await handleCommand(ctx.store, sessionDecider, {
    streamId: input.sessionId,
    streamType: STREAM.session,
    command: { type: 'Logout', at: ctx.now() },
    metadata: metadataFor(input.tenantId, selfActor(input.userId, input.role), input.requestId),
  });
}
