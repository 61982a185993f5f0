import { errors, isAppError } from '@medspa/errors';
import { handleCommand, newId } from '@medspa/eventstore';
import { AccountLockedError } from '../domain/errors.js';
import { secondsUntil } from '../domain/shared/time.js';
import type { TenantSettings } from '../domain/tenant/settings.js';
import { userDecider, type SecondFactorProof } from '../domain/user/decide.js';
import { isStaffRole } from '../domain/user/queries.js';
import { signInRejection } from '../domain/user/sign-in.js';
import type { RegisteredUser } from '../domain/user/user.js';
import { hashRecoveryCode } from '../security/recovery-codes.js';
import { totpProof } from '../security/totp.js';
import { metadataFor, selfActor, type IdentityContext } from './context.js';
import { consumeChallenge, createChallenge, failChallenge, openChallenge } from './challenges.js';
import { emailLookup, findClaim, rememberedClaim, TOTP_SECRET_FIELD } from './email.js';
import { isUuid, loadInTenant, registeredUser, tenantAndUser } from './load.js';
import { rememberedState } from './stream-states.js';
import { startSession, type SessionTokens } from './sessions.js';
import { tenantDecider } from '../domain/tenant/decide.js';

/** Enrolment-only tokens live as long as an enrolment may take. */
export const ENROLMENT_TOKEN_TTL_SECONDS = 10 * 60;
/** Bounds the argon2 work one request can ask for; the policy allows 256 characters. */
const PASSWORD_INPUT_MAX = 1024;

export type SignInResult =
  | { kind: 'mfa_required'; challengeToken: string; expiresAt: Date }
  | { kind: 'tokens'; tokens: SessionTokens }
  | { kind: 'enrolment_required'; enrolmentToken: string; expiresAt: Date };

const invalidCredentials = () =>
  errors.unauthenticated('INVALID_CREDENTIALS', 'The e-mail address or password is incorrect');

interface Account {
  user: RegisteredUser;
  settings: TenantSettings;
}

/**
 * The account an address names in a clinic, or undefined: unknown clinics and addresses look alike.
 * The clinic and the user are read current from the store in one round trip; the clinic's state
 * remembered from an earlier call only says its keys may be used for the lookup, and the claim (see
 * email.ts) is looked up once per process.
 */
async function findAccount(
  ctx: IdentityContext,
  tenantId: string,
  email: string,
): Promise<Account | undefined> {
  if (!isUuid(tenantId)) return undefined;
  const clinic = { streamId: tenantId, decider: tenantDecider };
  if (rememberedState(ctx.store, tenantId, clinic)?.status !== 'active') {
    const { state } = await loadInTenant(ctx, tenantId, tenantDecider, tenantId);
    if (state.status !== 'active') return undefined;
  }
  const lookup = await emailLookup(ctx, tenantId, email);
  const userId = rememberedClaim(ctx, tenantId, lookup) ?? (await findClaim(ctx, tenantId, lookup));
  if (userId === undefined) return undefined;
  const { tenant, user } = await tenantAndUser(ctx, tenantId, userId);
  if (tenant.status !== 'active' || user.status === 'unregistered' || user.emailLookup !== lookup)
    return undefined;
  return { user, settings: tenant.settings };
}

/** Records the attempt on the user's stream and throws the caller's error if it failed. */
async function recordSignIn(
  ctx: IdentityContext,
  account: Account,
  input: { sessionId: string; passwordValid: boolean; secondFactor?: SecondFactorProof; requestId: string },
): Promise<void> {
  const { user, settings } = account;
  const { newEvents } = await handleCommand(ctx.store, userDecider, {
    streamId: user.userId,
    streamType: 'user',
    command: {
      type: 'SignIn',
      sessionId: input.sessionId,
      passwordValid: input.passwordValid,
      ...(input.secondFactor === undefined ? {} : { secondFactor: input.secondFactor }),
      lockoutPolicy: settings.lockout,
      at: ctx.now(),
    },
    metadata: metadataFor(user.tenantId, selfActor(user.userId, user.role), input.requestId),
  });
  const rejection = signInRejection(newEvents);
  if (rejection === undefined) return;
  if (rejection instanceof AccountLockedError) {
    ctx.logger.warn(
      { userId: user.userId, tenantId: user.tenantId },
      'account locked out after failed sign-ins',
    );
  }
  throw rejection;
}

/**
 * SignIn, the password step. Staff with MFA get a challenge; staff without get an enrolment-only
 * token; patients without MFA get their session. A locked account is refused before its password is
 * checked, so that guessing during a lockout neither works nor extends it.
 */
export async function signIn(
  ctx: IdentityContext,
  input: { tenantId: string; email: string; password: string; requestId: string },
): Promise<SignInResult> {
  if (input.password.length > PASSWORD_INPUT_MAX) throw invalidCredentials();
  let account: Account | undefined;
  try {
    account = await findAccount(ctx, input.tenantId, input.email);
  } catch (e) {
    if (!isAppError(e) || e.kind !== 'validation') throw e;
    account = undefined; // a malformed address has no account either
  }
  if (account === undefined || account.user.passwordHash === undefined) {
    await ctx.hasher.verifyNoAccount(input.password);
    throw invalidCredentials();
  }
  const { user, settings } = account;
  const lockedUntil = user.lockout.lockedUntil;
  const at = ctx.now();
  if (lockedUntil !== undefined && lockedUntil > at.getTime()) {
    throw new AccountLockedError(secondsUntil(at, lockedUntil), new Date(lockedUntil).toISOString());
  }
  const passwordValid = await ctx.hasher.verify(user.passwordHash as string, input.password);
  if (!passwordValid) {
    if (user.status === 'disabled') throw invalidCredentials(); // says nothing about the account
    await recordSignIn(ctx, account, { sessionId: newId(), passwordValid, requestId: input.requestId });
    throw invalidCredentials(); // recordSignIn always throws for a wrong password
  }
  if (user.status === 'disabled') throw errors.forbidden('ACCOUNT_DISABLED', 'The account is disabled');
  await upgradeHashIfStale(ctx, user, input.password, input.requestId);
  if (user.mfa.status === 'enrolled') {
    const challenge = await createChallenge(ctx, { tenantId: user.tenantId, userId: user.userId });
    return { kind: 'mfa_required', challengeToken: challenge.token, expiresAt: challenge.expiresAt };
  }
  const sessionId = newId();
  await recordSignIn(ctx, account, { sessionId, passwordValid, requestId: input.requestId });
  if (isStaffRole(user.role)) {
    // Workforce must use MFA (45 CFR 164.312(d)): until they enrol, they can do nothing else.
    const issued = await ctx.enrolmentTokens.issue({
      userId: user.userId,
      tenantId: user.tenantId,
      role: user.role,
      sessionId,
      ttlSeconds: ENROLMENT_TOKEN_TTL_SECONDS,
      at,
    });
    return { kind: 'enrolment_required', enrolmentToken: issued.token, expiresAt: issued.expiresAt };
  }
  const tokens = await startSession(ctx, {
    sessionId,
    userId: user.userId,
    tenantId: user.tenantId,
    role: user.role,
    settings,
    requestId: input.requestId,
  });
  return { kind: 'tokens', tokens };
}

/**
 * The password was just proven: when its hash was made with older argon2 parameters, store one made
 * with the current ones (the only moment the plain password is at hand).
 */
async function upgradeHashIfStale(
  ctx: IdentityContext,
  user: RegisteredUser,
  password: string,
  requestId: string,
): Promise<void> {
  if (user.passwordHash === undefined || !ctx.hasher.needsRehash(user.passwordHash)) return;
  await handleCommand(ctx.store, userDecider, {
    streamId: user.userId,
    streamType: 'user',
    command: {
      type: 'SetPassword',
      passwordHash: await ctx.hasher.hash(password),
      reason: 'rehash',
      at: ctx.now(),
    },
    metadata: metadataFor(user.tenantId, selfActor(user.userId, user.role), requestId),
  });
}

export type SecondFactorInput = { kind: 'totp'; code: string } | { kind: 'recovery_code'; code: string };

/** VerifyMfa, the code step: a TOTP code (never one already used) or a single-use recovery code. */
export async function verifyMfa(
  ctx: IdentityContext,
  input: { tenantId: string; challengeToken: string; secondFactor: SecondFactorInput; requestId: string },
): Promise<SessionTokens> {
  if (!isUuid(input.tenantId)) throw errors.unauthenticated('MFA_CHALLENGE_INVALID', 'Sign in again');
  const { challengeId, userId } = await openChallenge(ctx, {
    tenantId: input.tenantId,
    token: input.challengeToken,
  });
  const { tenantId } = input;
  const { state: tenant } = await loadInTenant(ctx, tenantId, tenantDecider, tenantId);
  if (tenant.status !== 'active') throw errors.unauthenticated('MFA_CHALLENGE_INVALID', 'Sign in again');
  const user = await registeredUser(ctx, tenantId, userId);
  if (user.mfa.status !== 'enrolled') throw errors.unauthenticated('MFA_CHALLENGE_INVALID', 'Sign in again');
  const at = ctx.now();
  let proof: SecondFactorProof;
  if (input.secondFactor.kind === 'totp') {
    const secret = await ctx.fields.decrypt(
      { tenantId, subjectId: userId, field: TOTP_SECRET_FIELD },
      user.mfa.secretRef,
    );
    const verification = await ctx.totp.verify({
      secret,
      code: input.secondFactor.code,
      at,
      ...(user.lastTotpTimeStep === undefined ? {} : { lastUsedTimeStep: user.lastTotpTimeStep }),
    });
    proof = totpProof(verification);
  } else {
    proof = { kind: 'recovery_code', codeHash: hashRecoveryCode(userId, input.secondFactor.code) };
  }
  const sessionId = newId();
  const account = { user, settings: tenant.settings };
  try {
    await recordSignIn(ctx, account, {
      sessionId,
      passwordValid: true,
      secondFactor: proof,
      requestId: input.requestId,
    });
  } catch (e) {
    await failChallenge(ctx, tenantId, challengeId);
    throw e;
  }
  if (!(await consumeChallenge(ctx, tenantId, challengeId))) {
    throw errors.unauthenticated('MFA_CHALLENGE_INVALID', 'Sign in again');
  }
  return startSession(ctx, {
    sessionId,
    userId,
    tenantId,
    role: user.role,
    settings: tenant.settings,
    requestId: input.requestId,
  });
}
