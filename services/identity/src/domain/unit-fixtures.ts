import type { UserRole } from '@medspa/auth';
import { DEFAULT_LOCKOUT_POLICY } from './tenant/settings.js';
import type { SecondFactorProof, UserCommand } from './user/decide.js';
import type { SignInFailureReason, UserEvent } from './user/user.js';

// Shared givens for the identity deciders' unit tests. Hashes and references are fakes of the
// right shape: the deciders only check shapes, never compute them.

export const T0 = new Date('2025-03-01T09:00:00.000Z');
export const after = (seconds: number, from: Date = T0): Date => new Date(from.getTime() + seconds * 1000);
export const isoAfter = (seconds: number, from: Date = T0): string => after(seconds, from).toISOString();

export const PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g';
export const SECRET_REF = 'phi:AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA';
export const recoveryHash = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);
export const RECOVERY_HASHES = Array.from({ length: 10 }, (_, i) => recoveryHash(i + 1));

export const registered = (role: UserRole = 'provider'): UserEvent => ({
  type: 'UserRegistered',
  data: {
    userId: 'u-1',
    tenantId: 't-1',
    role,
    emailLookup: 'lookup-1',
    emailCiphertext: 'phi:email',
    at: T0.toISOString(),
  },
});
export const passwordSet: UserEvent = {
  type: 'UserPasswordSet',
  data: { passwordHash: PASSWORD_HASH, reason: 'initial', at: T0.toISOString() },
};
export const totpStarted: UserEvent = {
  type: 'TotpEnrolmentStarted',
  data: { secretRef: SECRET_REF, at: T0.toISOString() },
};
export const totpConfirmed = (timeStep = 1000): UserEvent => ({
  type: 'TotpEnrolmentConfirmed',
  data: { timeStep, at: isoAfter(30) },
});
export const recoveryCodes: UserEvent = {
  type: 'RecoveryCodesGenerated',
  data: { codeHashes: RECOVERY_HASHES, at: isoAfter(40) },
};

/** A staff member with a password and a confirmed TOTP enrolment (last step 1000). */
export const enrolledStaff = (): UserEvent[] => [
  registered('provider'),
  passwordSet,
  totpStarted,
  totpConfirmed(1000),
];

// Sign-in: a SignIn command, and the failure and lockout events it yields under the default policy.
export const signIn = (
  passwordValid: boolean,
  at: Date = T0,
  secondFactor?: SecondFactorProof,
): UserCommand => ({
  type: 'SignIn',
  sessionId: 's-1',
  passwordValid,
  lockoutPolicy: DEFAULT_LOCKOUT_POLICY,
  at,
  ...(secondFactor === undefined ? {} : { secondFactor }),
});
export const failed = (
  n: number,
  at: Date = T0,
  reason: SignInFailureReason = 'bad_password',
): UserEvent => ({
  type: 'UserSignInFailed',
  data: { reason, consecutiveFailures: n, at: at.toISOString() },
});
export const lockedOut = (lockoutNumber: number, seconds: number, at: Date = T0): UserEvent => ({
  type: 'UserLockedOut',
  data: { lockoutNumber, lockedUntil: isoAfter(seconds, at), at: at.toISOString() },
});
export const patient: UserEvent[] = [registered('patient'), passwordSet];
