import type { Principal } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import { activeBreakGlass, breakGlassDecider } from '../domain/break-glass/decide.js';
import { canAccessPhi } from '../domain/user/queries.js';
import { actorOf, breakGlassStreamId, metadataFor, STREAM, type IdentityContext } from './context.js';
import { registeredUser, tenantSettings } from './load.js';
import { issueAccess, usableSession, type IssuedAccess } from './sessions.js';

/**
 * RequestBreakGlass: emergency access for the caller's session, with a written reason, for at most
 * the clinic's break-glass minutes. The new access token carries the `break_glass` claim and
 * expires with the grant; every service audits reads made under it, and the events are flagged
 * `alert` for review.
 */
export async function requestBreakGlass(
  ctx: IdentityContext,
  principal: Principal,
  input: { reason: string; durationMinutes: number; requestId: string },
): Promise<IssuedAccess & { grantId: string; expiresAt: Date }> {
  const { tenantId, userId, sessionId } = principal;
  const session = await usableSession(ctx, { sessionId, tenantId, userId });
  const user = await registeredUser(ctx, tenantId, userId);
  const settings = await tenantSettings(ctx, tenantId);
  const durationMinutes = input.durationMinutes === 0 ? settings.breakGlassMinutes : input.durationMinutes;
  if (durationMinutes > settings.breakGlassMinutes) {
    throw errors.validation('BREAK_GLASS_DURATION_INVALID', 'The request is invalid', {
      violations: [{ field: 'durationMinutes', message: `must be at most ${settings.breakGlassMinutes}` }],
    });
  }
  const grantId = newId();
  const at = ctx.now();
  const { state } = await handleCommand(ctx.store, breakGlassDecider, {
    streamId: breakGlassStreamId(sessionId),
    streamType: STREAM.breakGlass,
    command: {
      type: 'RequestBreakGlass',
      grantId,
      sessionId,
      userId,
      tenantId,
      requester: { role: user.role, canAccessPhi: canAccessPhi(user) },
      reason: input.reason,
      durationMinutes,
      at,
    },
    metadata: metadataFor(tenantId, actorOf(principal), input.requestId),
  });
  const grant = activeBreakGlass(state, at);
  if (grant === undefined) throw errors.internal('BREAK_GLASS_NOT_GRANTED', 'Break-glass was not granted');
  // Loud on purpose: operators see it at once; the reason stays out of logs (it may name a patient).
  ctx.logger.warn({ grantId, sessionId, userId, tenantId, role: user.role }, 'BREAK-GLASS access granted');
  const access = await issueAccess(ctx, {
    session,
    userId,
    tenantId,
    role: user.role,
    sessionId,
    breakGlass: grant,
    at,
  });
  return { ...access, grantId, expiresAt: grant.expiresAt };
}

/** EndBreakGlass: closes the session's grant and issues an ordinary access token. */
export async function endBreakGlass(
  ctx: IdentityContext,
  principal: Principal,
  requestId: string,
): Promise<IssuedAccess> {
  const { tenantId, userId, sessionId } = principal;
  const session = await usableSession(ctx, { sessionId, tenantId, userId });
  const user = await registeredUser(ctx, tenantId, userId);
  const at = ctx.now();
  await handleCommand(ctx.store, breakGlassDecider, {
    streamId: breakGlassStreamId(sessionId),
    streamType: STREAM.breakGlass,
    command: { type: 'EndBreakGlass', at },
    metadata: metadataFor(tenantId, actorOf(principal), requestId),
  });
  ctx.logger.warn({ sessionId, userId, tenantId }, 'BREAK-GLASS access ended');
  return issueAccess(ctx, { session, userId, tenantId, role: user.role, sessionId, at });
}
