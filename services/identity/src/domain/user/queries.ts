import type { UserRole } from '@medspa/auth';
import { secondsUntil } from '../shared/time.js';
import type { UserState } from './user.js';

/** Every role but `patient` is workforce, and workforce must use MFA (45 CFR 164.312(d)). */
export const isStaffRole = (role: UserRole): boolean => role !== 'patient';

/**
 * Whether the user may be given access to PHI at all: an active account, and for staff a
 * confirmed TOTP enrolment. What PHI a role may see is the permission table's business
 * (libs/auth); this is only the authentication gate in front of it.
 */
export function canAccessPhi(state: UserState): boolean {
  if (state.status !== 'active') return false;
  return !isStaffRole(state.role) || state.mfa.status === 'enrolled';
}

/** Staff who still have to enrol a second factor before they can work with patient data. */
export const mustEnrolMfa = (state: UserState): boolean =>
  state.status !== 'unregistered' && isStaffRole(state.role) && state.mfa.status !== 'enrolled';

/** Seconds until a lockout ends; 0 when the account is not locked at `at`. */
export function lockedForSeconds(state: UserState, at: Date): number {
  if (state.status === 'unregistered' || state.lockout.lockedUntil === undefined) return 0;
  return secondsUntil(at, state.lockout.lockedUntil);
}
