import { handleCommand } from '@medspa/eventstore';
import { sessionDecider } from '../domain/session/decide.js';
import type { SessionRevocationReason } from '../domain/session/session.js';
import { activeSessionIds } from '../projections/sessions/queries.js';
import { STREAM, type Actor, type IdentityContext, metadataFor } from './context.js';

/**
 * Ends a user's other sessions (after a password change or reset): their refresh tokens stop
 * working, so stolen sessions die within one access-token lifetime. The list comes from the
 * sessions read model, so a session started in the last few milliseconds may be missed; the
 * session decider makes a repeated revocation harmless.
 */
export async function revokeUserSessions(
  ctx: IdentityContext,
  input: {
    tenantId: string;
    userId: string;
    reason: Exclude<SessionRevocationReason, 'refresh_token_reuse'>;
    exceptSessionId?: string;
    actor: Actor;
    requestId: string;
  },
): Promise<number> {
  const ids = await activeSessionIds(ctx.pool, ctx.schema, input.tenantId, input.userId);
  const targets = ids.filter((id) => id !== input.exceptSessionId);
  for (const sessionId of targets) {
    await handleCommand(ctx.store, sessionDecider, {
      streamId: sessionId,
      streamType: STREAM.session,
      command: { type: 'RevokeSession', reason: input.reason, at: ctx.now() },
      metadata: metadataFor(input.tenantId, input.actor, input.requestId),
    });
  }
  return targets.length;
}
