import type { LockoutPolicy } from '../tenant/settings.js';
import { iso, isoPlusSeconds } from '../shared/time.js';
import type { RegisteredUser, SignInFailureReason, UserEvent } from './user.js';

/** The length of the n-th lockout in a streak: base, doubled each time, up to the cap. */
export function lockoutSeconds(policy: LockoutPolicy, lockoutNumber: number): number {
  // Exponent capped so the multiplication cannot overflow to Infinity on a very long streak.
  const doubled = policy.baseSeconds * 2 ** Math.min(Math.max(lockoutNumber - 1, 0), 30);
  return Math.min(doubled, policy.maxSeconds);
}

/**
 * A failed sign-in and, when it completes a run of `threshold` failures, the lockout it causes.
 * Failures during a lockout never get here (they are refused before any credential is checked),
 * so an attacker cannot stretch a lockout, only wait it out.
 */
export function signInFailure(
  user: RegisteredUser,
  reason: SignInFailureReason,
  policy: LockoutPolicy,
  at: Date,
): UserEvent[] {
  const consecutiveFailures = user.lockout.consecutiveFailures + 1;
  const failed: UserEvent = {
    type: 'UserSignInFailed',
    data: { reason, consecutiveFailures, at: iso(at) },
  };
  if (consecutiveFailures < policy.threshold) return [failed];
  const lockoutNumber = user.lockout.lockouts + 1;
  return [
    failed,
    {
      type: 'UserLockedOut',
      data: {
        lockoutNumber,
        lockedUntil: isoPlusSeconds(at, lockoutSeconds(policy, lockoutNumber)),
        at: iso(at),
      },
    },
  ];
}
