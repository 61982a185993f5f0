import { Role } from '@medspa/contracts/medspa.identity.v1';
import { z } from 'zod';
import { Id, protoEnum } from './common.js';

const Email = z
  .string()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'expected an e-mail address');
const Password = z.string().min(1).max(1024);

export const SignInBody = z.object({ tenantId: Id, email: Email, password: Password });
export const VerifyMfaBody = z
  .object({
    tenantId: Id,
    challengeToken: z.string().min(1).max(4096),
    totpCode: z
      .string()
      .regex(/^\d{6}$/, 'expected six digits')
      .optional(),
    recoveryCode: z.string().min(1).max(64).optional(),
  })
  .refine((b) => (b.totpCode === undefined) !== (b.recoveryCode === undefined), {
    message: 'exactly one of totpCode or recoveryCode',
    path: ['totpCode'],
  });
export const ConfirmTotpBody = z.object({ code: z.string().regex(/^\d{6}$/, 'expected six digits') });
export const RefreshBody = z.object({ refreshToken: z.string().min(1).max(4096) });
export const BreakGlassBody = z.object({
  // A code or short statement; identity refuses what its policy does not allow.
  reason: z.string().min(3).max(500),
  durationMinutes: z.number().int().min(1).max(60).optional(),
});
export const CreateUserBody = z.object({ email: Email, role: protoEnum(Role, { input: true }) });
export const SetPasswordBody = z.object({
  userId: z.union([Id, z.literal('')]).optional(),
  newPassword: Password,
  currentPassword: Password.optional(),
});

export const SessionTokens = z
  .object({
    sessionId: z.string(),
    accessToken: z.string(),
    accessTokenExpiresAt: z.string(),
    refreshToken: z.string(),
    sessionExpiresAt: z.string(),
  })
  .partial();
export const SignInReply = z
  .object({
    mfaRequired: z.object({ challengeToken: z.string(), expiresAt: z.string() }).partial(),
    tokens: SessionTokens,
    enrolmentRequired: z.object({ enrolmentToken: z.string(), expiresAt: z.string() }).partial(),
  })
  .partial();
export const TokensReply = z.object({ tokens: SessionTokens }).partial();
export const TotpEnrolment = z
  .object({ secret: z.string(), otpauthUri: z.string(), expiresAt: z.string() })
  .partial();
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) }).partial();
export const BreakGlassGrant = z
  .object({
    grantId: z.string(),
    expiresAt: z.string(),
    accessToken: z.string(),
    accessTokenExpiresAt: z.string(),
  })
  .partial();
export const AccessTokenReply = z
  .object({ accessToken: z.string(), accessTokenExpiresAt: z.string() })
  .partial();
export const UserCreated = z.object({ userId: z.string() }).partial();
