import type { UserRole } from '@medspa/auth';
import { ms } from '../shared/time.js';

/** Why a password hash was stored: `rehash` upgrades the argon2 parameters at a sign-in. */
export type PasswordSetReason = 'initial' | 'change' | 'reset' | 'rehash';
/** What failed in a sign-in, for the audit trail; the caller sees fewer details. */
export type SignInFailureReason = 'bad_password' | 'bad_totp' | 'totp_replayed' | 'bad_recovery_code';
export type SecondFactorUsed = 'totp' | 'recovery_code' | 'none';

export type UserEvent =
  | {
      type: 'UserRegistered';
      data: {
        userId: string;
        tenantId: string;
        role: UserRole;
        /** Blind index of the normalised e-mail (sign-in lookup); the address itself is ciphertext. */
        emailLookup: string;
        emailCiphertext: string;
        at: string;
      };
    }
  | { type: 'UserPasswordSet'; data: { passwordHash: string; reason: PasswordSetReason; at: string } }
  | { type: 'TotpEnrolmentStarted'; data: { secretRef: string; at: string } }
  | { type: 'TotpEnrolmentConfirmed'; data: { timeStep: number; at: string } }
  | { type: 'MfaReset'; data: { at: string } }
  | { type: 'RecoveryCodesGenerated'; data: { codeHashes: string[]; at: string } }
  | { type: 'RecoveryCodeUsed'; data: { codeHash: string; remaining: number; at: string } }
  | {
      type: 'UserSignedIn';
      data: { sessionId: string; secondFactor: SecondFactorUsed; totpTimeStep?: number; at: string };
    }
  | {
      type: 'UserSignInFailed';
      data: { reason: SignInFailureReason; consecutiveFailures: number; at: string };
    }
  | { type: 'UserLockedOut'; data: { lockoutNumber: number; lockedUntil: string; at: string } }
  | { type: 'UserUnlocked'; data: { at: string } }
  | { type: 'UserDisabled'; data: { at: string } }
  | { type: 'UserEnabled'; data: { at: string } }
  | { type: 'UserRoleChanged'; data: { from: UserRole; to: UserRole; at: string } };

export type MfaState =
  | { status: 'none' }
  | { status: 'pending'; secretRef: string; startedAt: number }
  | { status: 'enrolled'; secretRef: string; enrolledAt: number };

export interface LockoutState {
  /** Failures since the last success, lockout or unlock. */
  consecutiveFailures: number;
  /** Lockouts since the last success or unlock; each doubles the next one. */
  lockouts: number;
  lockedUntil: number | undefined;
}

export interface RegisteredUser {
  status: 'active' | 'disabled';
  userId: string;
  tenantId: string;
  role: UserRole;
  emailLookup: string;
  passwordHash: string | undefined;
  mfa: MfaState;
  /** The last TOTP time step accepted; a code from it or an earlier one is a replay. */
  lastTotpTimeStep: number | undefined;
  /** Hashes of the recovery codes not yet used. */
  recoveryCodeHashes: readonly string[];
  lockout: LockoutState;
}

export type UserState = { status: 'unregistered' } | RegisteredUser;

export const initialUserState = (): UserState => ({ status: 'unregistered' });

const NO_LOCKOUT: LockoutState = { consecutiveFailures: 0, lockouts: 0, lockedUntil: undefined };

export function evolveUser(state: UserState, event: UserEvent): UserState {
  if (event.type === 'UserRegistered') {
    const { userId, tenantId, role, emailLookup } = event.data;
    return {
      status: 'active',
      userId,
      tenantId,
      role,
      emailLookup,
      passwordHash: undefined,
      mfa: { status: 'none' },
      lastTotpTimeStep: undefined,
      recoveryCodeHashes: [],
      lockout: NO_LOCKOUT,
    };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'UserPasswordSet':
      // A reset proves control of the mailbox, so it also ends a lockout streak.
      return {
        ...state,
        passwordHash: event.data.passwordHash,
        lockout: event.data.reason === 'reset' ? NO_LOCKOUT : state.lockout,
      };
    case 'TotpEnrolmentStarted':
      return {
        ...state,
        mfa: { status: 'pending', secretRef: event.data.secretRef, startedAt: ms(event.data.at) },
      };
    case 'TotpEnrolmentConfirmed':
      if (state.mfa.status !== 'pending') return state;
      return {
        ...state,
        mfa: { status: 'enrolled', secretRef: state.mfa.secretRef, enrolledAt: ms(event.data.at) },
        lastTotpTimeStep: event.data.timeStep,
      };
    case 'MfaReset':
      return { ...state, mfa: { status: 'none' }, lastTotpTimeStep: undefined, recoveryCodeHashes: [] };
    case 'RecoveryCodesGenerated':
      return { ...state, recoveryCodeHashes: [...event.data.codeHashes] };
    case 'RecoveryCodeUsed':
      return {
        ...state,
        recoveryCodeHashes: state.recoveryCodeHashes.filter((h) => h !== event.data.codeHash),
      };
    case 'UserSignedIn':
      return {
        ...state,
        lockout: NO_LOCKOUT,
        lastTotpTimeStep: event.data.totpTimeStep ?? state.lastTotpTimeStep,
      };
    case 'UserSignInFailed':
      return { ...state, lockout: { ...state.lockout, consecutiveFailures: event.data.consecutiveFailures } };
    case 'UserLockedOut':
      return {
        ...state,
        lockout: {
          consecutiveFailures: 0,
          lockouts: event.data.lockoutNumber,
          lockedUntil: ms(event.data.lockedUntil),
        },
      };
    case 'UserUnlocked':
      return { ...state, lockout: NO_LOCKOUT };
    case 'UserDisabled':
      return { ...state, status: 'disabled' };
    case 'UserEnabled':
      return { ...state, status: 'active' };
    case 'UserRoleChanged':
      return { ...state, role: event.data.to };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
