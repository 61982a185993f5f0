import type { Principal } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import { tenantDecider } from '../domain/tenant/decide.js';
import { assertAcceptablePassword } from '../security/password-policy.js';
import { actorOf, metadataFor, STREAM, type IdentityContext } from './context.js';
import { normalisedEmail } from './email.js';
import { registerUser, storePassword } from './users.js';

/**
 * Platform bootstrap: a clinic, its keys (blind index, field encryption) and its first owner with a
 * password. Only a service principal named in the platform-admin list may do it.
 */
export async function createTenant(
  ctx: IdentityContext,
  principal: Principal,
  input: { name: string; ownerEmail: string; ownerPassword: string; requestId: string },
): Promise<{ tenantId: string; ownerUserId: string }> {
  if (!principal.isService || !ctx.platformAdmins.includes(principal.userId)) {
    throw errors.forbidden('PERMISSION_DENIED', 'Only the platform may create clinics');
  }
  // Refused before anything is written: a clinic without a usable owner would be stranded.
  assertAcceptablePassword(input.ownerPassword);
  normalisedEmail(input.ownerEmail);
  const tenantId = newId();
  const actor = actorOf(principal);
  await handleCommand(ctx.store, tenantDecider, {
    streamId: tenantId,
    streamType: STREAM.tenant,
    command: { type: 'CreateTenant', tenantId, name: input.name, at: ctx.now() },
    metadata: metadataFor(tenantId, actor, input.requestId),
  });
  await ctx.keyring.provisionTenant(tenantId);
  const ownerUserId = await registerUser(ctx, {
    tenantId,
    email: input.ownerEmail,
    role: 'owner',
    actor,
    requestId: input.requestId,
  });
  await storePassword(ctx, {
    tenantId,
    userId: ownerUserId,
    password: input.ownerPassword,
    reason: 'initial',
    actor,
    requestId: input.requestId,
  });
  return { tenantId, ownerUserId };
}
