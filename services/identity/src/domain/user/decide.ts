import type { UserRole } from '@medspa/auth';
import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { isArgon2idHash, isOpaqueSecretRef, isSha256Hex } from '../shared/formats.js';
import { iso } from '../shared/time.js';
import { isStaffRole } from './queries.js';
import { decideSignIn, type SignIn } from './sign-in.js';
import {
  evolveUser,
  initialUserState,
  type PasswordSetReason,
  type RegisteredUser,
  type UserEvent,
  type UserState,
} from './user.js';

export type { SecondFactorProof, SignIn } from './sign-in.js';

export type UserCommand =
  | {
      type: 'RegisterUser';
      userId: string;
      tenantId: string;
      role: UserRole;
      emailLookup: string;
      emailCiphertext: string;
      at: Date;
    }
  /** `passwordHash` is the argon2id PHC string from security/password-hasher, never the password. */
  | { type: 'SetPassword'; passwordHash: string; reason: PasswordSetReason; at: Date }
  /** `secretRef` is the encrypted TOTP secret (or a reference to it), never the base32 secret. */
  | { type: 'StartTotpEnrolment'; secretRef: string; at: Date }
  /** The code the user typed, verified by the TOTP adapter against the pending secret. */
  | { type: 'ConfirmTotpEnrolment'; matchedTimeStep: number | null; at: Date }
  | { type: 'ResetMfa'; at: Date }
  | { type: 'GenerateRecoveryCodes'; codeHashes: string[]; at: Date }
  | SignIn
  | { type: 'UnlockUser'; at: Date }
  | { type: 'DisableUser'; at: Date }
  | { type: 'EnableUser'; at: Date }
  | { type: 'ChangeRole'; role: UserRole; at: Date };

/** A pending enrolment is abandoned after this long; the secret shown on screen goes stale. */
export const TOTP_ENROLMENT_TTL_MS = 10 * 60_000;
export const RECOVERY_CODE_COUNT = 10;

const registered = (state: UserState): RegisteredUser => {
  if (state.status === 'unregistered') throw errors.notFound('USER_NOT_FOUND', 'The user does not exist');
  return state;
};
const active = (state: UserState): RegisteredUser => {
  const user = registered(state);
  if (user.status === 'disabled') throw errors.forbidden('ACCOUNT_DISABLED', 'The account is disabled');
  return user;
};
const invalid = (reason: string, field: string, message: string) =>
  errors.validation(reason, 'The request is invalid', { violations: [{ field, message }] });

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  const at = iso(command.at);
  switch (command.type) {
    case 'RegisterUser': {
      if (state.status !== 'unregistered') throw errors.conflict('USER_EXISTS', 'The user already exists');
      if (command.emailLookup.length === 0 || command.emailCiphertext.length === 0) {
        throw invalid('EMAIL_REQUIRED', 'email', 'is required');
      }
      const { userId, tenantId, role, emailLookup, emailCiphertext } = command;
      return [{ type: 'UserRegistered', data: { userId, tenantId, role, emailLookup, emailCiphertext, at } }];
    }
    case 'SetPassword': {
      const user = active(state);
      if (!isArgon2idHash(command.passwordHash)) {
        throw invalid('PASSWORD_HASH_INVALID', 'passwordHash', 'must be an argon2id hash');
      }
      if (command.reason === 'initial' && user.passwordHash !== undefined) {
        throw errors.conflict('PASSWORD_ALREADY_SET', 'The account already has a password');
      }
      return [
        { type: 'UserPasswordSet', data: { passwordHash: command.passwordHash, reason: command.reason, at } },
      ];
    }
    case 'StartTotpEnrolment': {
      const user = active(state);
      if (user.mfa.status === 'enrolled') {
        throw errors.conflict('MFA_ALREADY_ENROLLED', 'MFA is already enrolled');
      }
      if (!isOpaqueSecretRef(command.secretRef)) {
        throw invalid('TOTP_SECRET_NOT_ENCRYPTED', 'secretRef', 'must be an encrypted secret reference');
      }
      return [{ type: 'TotpEnrolmentStarted', data: { secretRef: command.secretRef, at } }];
    }
    case 'ConfirmTotpEnrolment': {
      const { mfa } = active(state);
      if (mfa.status === 'enrolled') throw errors.conflict('MFA_ALREADY_ENROLLED', 'MFA is already enrolled');
      if (mfa.status === 'none') {
        throw errors.precondition('MFA_ENROLMENT_NOT_STARTED', 'No enrolment is pending');
      }
      if (command.at.getTime() - mfa.startedAt > TOTP_ENROLMENT_TTL_MS) {
        throw errors.precondition('MFA_ENROLMENT_EXPIRED', 'The enrolment expired; start again');
      }
      if (command.matchedTimeStep === null) {
        throw errors.unauthenticated('MFA_CODE_INVALID', 'The verification code is not valid');
      }
      return [{ type: 'TotpEnrolmentConfirmed', data: { timeStep: command.matchedTimeStep, at } }];
    }
    case 'ResetMfa': {
      const user = registered(state);
      return user.mfa.status === 'none' && user.recoveryCodeHashes.length === 0
        ? []
        : [{ type: 'MfaReset', data: { at } }];
    }
    case 'GenerateRecoveryCodes': {
      const user = active(state);
      if (user.mfa.status !== 'enrolled') {
        throw errors.precondition('MFA_NOT_ENROLLED', 'No second factor is enrolled');
      }
      const hashes = command.codeHashes;
      if (
        hashes.length !== RECOVERY_CODE_COUNT ||
        new Set(hashes).size !== hashes.length ||
        !hashes.every(isSha256Hex)
      ) {
        throw invalid(
          'RECOVERY_CODES_INVALID',
          'codeHashes',
          `must be ${RECOVERY_CODE_COUNT} distinct SHA-256 hashes`,
        );
      }
      return [{ type: 'RecoveryCodesGenerated', data: { codeHashes: [...hashes], at } }];
    }
    case 'SignIn':
      return decideSignIn(command, state);
    case 'UnlockUser': {
      const { lockout } = registered(state);
      const clean =
        lockout.consecutiveFailures === 0 && lockout.lockouts === 0 && lockout.lockedUntil === undefined;
      return clean ? [] : [{ type: 'UserUnlocked', data: { at } }];
    }
    case 'DisableUser':
      return registered(state).status === 'disabled' ? [] : [{ type: 'UserDisabled', data: { at } }];
    case 'EnableUser':
      return registered(state).status === 'active' ? [] : [{ type: 'UserEnabled', data: { at } }];
    case 'ChangeRole': {
      const user = registered(state);
      if (user.role === command.role) return [];
      // A patient account must never turn into a workforce account (or back): different MFA
      // rules, different data scope. Such a person gets a second account.
      if (isStaffRole(user.role) !== isStaffRole(command.role)) {
        throw errors.forbidden(
          'ROLE_CHANGE_NOT_ALLOWED',
          'A patient account and a staff account cannot be swapped',
        );
      }
      return [{ type: 'UserRoleChanged', data: { from: user.role, to: command.role, at } }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** A staff member or patient: credentials, MFA, recovery codes, lockout, role, enablement. */
export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};
