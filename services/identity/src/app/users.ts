import { requirePermission, type Principal, type UserRole } from '@medspa/auth';
import { withTenant } from '@medspa/db';
import { errors } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import { decideUser, userDecider } from '../domain/user/decide.js';
import type { PasswordSetReason } from '../domain/user/user.js';
import { initialUserState } from '../domain/user/user.js';
import { assertAcceptablePassword } from '../security/password-policy.js';
import { actorOf, metadataFor, STREAM, type Actor, type IdentityContext } from './context.js';
import { claimEmail, EMAIL_FIELD, emailLookup, normalisedEmail } from './email.js';
import { registeredUser } from './load.js';
import { revokeUserSessions } from './revocation.js';

/**
 * Registers an account: the e-mail claim (blind index) and UserRegistered commit together, so an
 * address is never claimed without an account or the other way round.
 */
export async function registerUser(
  ctx: IdentityContext,
  input: { tenantId: string; email: string; role: UserRole; actor: Actor; requestId: string },
): Promise<string> {
  const { tenantId } = input;
  const email = normalisedEmail(input.email);
  const userId = newId();
  const lookup = await emailLookup(ctx, tenantId, email);
  const emailCiphertext = await ctx.fields.encrypt(
    { tenantId, subjectId: userId, field: EMAIL_FIELD },
    email,
  );
  const at = ctx.now();
  const events = decideUser(
    { type: 'RegisterUser', userId, tenantId, role: input.role, emailLookup: lookup, emailCiphertext, at },
    initialUserState(),
  );
  await withTenant(ctx.pool, tenantId, async (tx) => {
    await claimEmail(tx, ctx, { tenantId, lookup, userId });
    await ctx.store.append(
      userId,
      STREAM.user,
      'no_stream',
      events,
      metadataFor(tenantId, input.actor, input.requestId),
      {
        db: tx,
      },
    );
  });
  return userId;
}

/** CreateUser: `staff:manage`, and only an owner may make another owner (no self-promotion). */
export async function createUser(
  ctx: IdentityContext,
  principal: Principal,
  input: { email: string; role: UserRole; requestId: string },
): Promise<string> {
  requirePermission(principal, 'staff:manage');
  if (input.role === 'owner' && principal.role !== 'owner') {
    throw errors.forbidden('ROLE_ASSIGNMENT_NOT_ALLOWED', 'Only an owner may create an owner account');
  }
  return registerUser(ctx, { ...input, tenantId: principal.tenantId, actor: actorOf(principal) });
}

/** Stores a new argon2id hash of `password` for the user (policy checked first). */
export async function storePassword(
  ctx: IdentityContext,
  input: {
    tenantId: string;
    userId: string;
    password: string;
    reason: PasswordSetReason;
    actor: Actor;
    requestId: string;
  },
): Promise<void> {
  assertAcceptablePassword(input.password);
  const passwordHash = await ctx.hasher.hash(input.password);
  await handleCommand(ctx.store, userDecider, {
    streamId: input.userId,
    streamType: STREAM.user,
    command: { type: 'SetPassword', passwordHash, reason: input.reason, at: ctx.now() },
    metadata: metadataFor(input.tenantId, input.actor, input.requestId),
  });
}

/**
 * SetPassword: one's own (the current password is required once one is set) or, with
 * `staff:manage`, another account's. Only an owner may set an owner's password.
 */
export async function setPassword(
  ctx: IdentityContext,
  principal: Principal,
  input: { userId: string; newPassword: string; currentPassword: string; requestId: string },
): Promise<void> {
  const { tenantId } = principal;
  const targetId = input.userId === '' ? principal.userId : input.userId;
  const self = targetId === principal.userId;
  if (!self) requirePermission(principal, 'staff:manage');
  const user = await registeredUser(ctx, tenantId, targetId);
  if (!self && user.role === 'owner' && principal.role !== 'owner') {
    throw errors.forbidden('ROLE_ASSIGNMENT_NOT_ALLOWED', "Only an owner may set an owner's password");
  }
  let reason: PasswordSetReason = user.passwordHash === undefined ? 'initial' : self ? 'change' : 'reset';
  if (self && user.passwordHash !== undefined) {
    const ok =
      input.currentPassword !== '' && (await ctx.hasher.verify(user.passwordHash, input.currentPassword));
    if (!ok) throw errors.unauthenticated('INVALID_CREDENTIALS', 'The current password is incorrect');
    reason = 'change';
  }
  const actor = actorOf(principal);
  await storePassword(ctx, {
    tenantId,
    userId: targetId,
    password: input.newPassword,
    reason,
    actor,
    requestId: input.requestId,
  });
  if (reason === 'initial') return;
  // Whoever knew the old password may hold a session: end them all but the one making the change.
  await revokeUserSessions(ctx, {
    tenantId,
    userId: targetId,
    reason: 'password_changed',
    ...(self ? { exceptSessionId: principal.sessionId } : {}),
    actor,
    requestId: input.requestId,
  });
}
