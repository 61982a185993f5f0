import type { Principal } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { handleCommand } from '@medspa/eventstore';
import { TOTP_ENROLMENT_TTL_MS, userDecider } from '../domain/user/decide.js';
import { generateRecoveryCodes } from '../security/recovery-codes.js';
import { actorOf, metadataFor, STREAM, type IdentityContext } from './context.js';
import { EMAIL_FIELD, TOTP_SECRET_FIELD } from './email.js';
import { registeredUser } from './load.js';

/**
 * StartTotpEnrolment: a fresh secret for the caller, stored only encrypted (field cipher, the
 * user's data key); the plain secret and its otpauth URI go back to the caller once.
 */
export async function startTotpEnrolment(
  ctx: IdentityContext,
  principal: Principal,
  requestId: string,
): Promise<{ secret: string; otpauthUri: string; expiresAt: Date }> {
  const { tenantId, userId } = principal;
  const user = await registeredUser(ctx, tenantId, userId);
  if (user.mfa.status === 'enrolled')
    throw errors.conflict('MFA_ALREADY_ENROLLED', 'MFA is already enrolled');
  const secret = ctx.totp.generateSecret();
  const secretRef = await ctx.fields.encrypt(
    { tenantId, subjectId: userId, field: TOTP_SECRET_FIELD },
    secret,
  );
  const at = ctx.now();
  await handleCommand(ctx.store, userDecider, {
    streamId: userId,
    streamType: STREAM.user,
    command: { type: 'StartTotpEnrolment', secretRef, at },
    metadata: metadataFor(tenantId, actorOf(principal), requestId),
  });
  // The address is the account name the authenticator app shows; it lives only in the first event.
  const [first] = await ctx.store.readStream(userId);
  const emailCiphertext =
    first?.type === 'UserRegistered'
      ? (first.data as { emailCiphertext: string }).emailCiphertext
      : undefined;
  const accountName =
    emailCiphertext === undefined
      ? userId
      : await ctx.fields.decrypt({ tenantId, subjectId: userId, field: EMAIL_FIELD }, emailCiphertext);
  return {
    secret,
    otpauthUri: ctx.totp.keyUri({ secret, accountName }),
    expiresAt: new Date(at.getTime() + TOTP_ENROLMENT_TTL_MS),
  };
}

/** ConfirmTotpEnrolment: the first code proves the app has the secret; recovery codes come back once. */
export async function confirmTotpEnrolment(
  ctx: IdentityContext,
  principal: Principal,
  input: { code: string; requestId: string },
): Promise<{ recoveryCodes: string[] }> {
  const { tenantId, userId } = principal;
  const user = await registeredUser(ctx, tenantId, userId);
  const at = ctx.now();
  let matchedTimeStep: number | null = null;
  if (user.mfa.status === 'pending') {
    const secret = await ctx.fields.decrypt(
      { tenantId, subjectId: userId, field: TOTP_SECRET_FIELD },
      user.mfa.secretRef,
    );
    const verification = await ctx.totp.verify({ secret, code: input.code, at });
    matchedTimeStep = verification.valid ? verification.timeStep : null;
  }
  const metadata = metadataFor(tenantId, actorOf(principal), input.requestId);
  // The decider refuses a missing, expired or already finished enrolment and a wrong code.
  await handleCommand(ctx.store, userDecider, {
    streamId: userId,
    streamType: STREAM.user,
    command: { type: 'ConfirmTotpEnrolment', matchedTimeStep, at },
    metadata,
  });
  const { codes, hashes } = generateRecoveryCodes(userId);
  await handleCommand(ctx.store, userDecider, {
    streamId: userId,
    streamType: STREAM.user,
    command: { type: 'GenerateRecoveryCodes', codeHashes: hashes, at },
    metadata,
  });
  return { recoveryCodes: codes };
}
