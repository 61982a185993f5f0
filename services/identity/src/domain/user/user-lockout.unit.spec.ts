import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { foldEvents } from '@medspa/eventstore';
import { AccountLockedError } from '../errors.js';
import { DEFAULT_LOCKOUT_POLICY } from '../tenant/settings.js';
import { after, failed, isoAfter, lockedOut, PASSWORD_HASH, patient, signIn, T0 } from '../unit-fixtures.js';
import { userDecider } from './decide.js';
import { lockoutSeconds } from './lockout.js';
import { lockedForSeconds } from './queries.js';
import { signInRejection } from './sign-in.js';
import type { UserEvent } from './user.js';

const spec = deciderSpec(userDecider);
const policy = DEFAULT_LOCKOUT_POLICY; // 5 failures, 60 s, doubling, capped at 3600 s

describe('User lockout', () => {
  const fourFailures = [failed(1), failed(2), failed(3), failed(4)];

  it('locks the account for 1 minute at the fifth failure in a row', () => {
    spec
      .given([...patient, ...fourFailures])
      .when(signIn(false))
      .then([failed(5), lockedOut(1, 60)]);
    const rejection = signInRejection([failed(5), lockedOut(1, 60)]);
    expect(rejection).toBeInstanceOf(AccountLockedError);
    expect(rejection).toMatchObject({
      reason: 'ACCOUNT_LOCKED',
      kind: 'rate_limited',
      retryAfterSeconds: 60,
    });
  });

  it('refuses every attempt while locked, even the right password, with the time left', () => {
    const given = [...patient, ...fourFailures, failed(5), lockedOut(1, 60)];
    spec
      .given(given)
      .when(signIn(true, after(20)))
      .thenThrows('ACCOUNT_LOCKED');
    expect(() => userDecider.decide(signIn(true, after(20)), foldEvents(userDecider, given))).toThrow(
      expect.objectContaining({ retryAfterSeconds: 40 }) as Error,
    );
    expect(lockedForSeconds(foldEvents(userDecider, given), after(20))).toBe(40);
  });

  it('doubles the next lockout in the same streak, up to the cap', () => {
    const firstLockout = [...patient, ...fourFailures, failed(5), lockedOut(1, 60)];
    const t = after(61);
    const again = [failed(1, t), failed(2, t), failed(3, t), failed(4, t)];
    spec
      .given([...firstLockout, ...again])
      .when(signIn(false, t))
      .then([failed(5, t), lockedOut(2, 120, t)]);
    expect([1, 2, 3, 6, 7, 20].map((n) => lockoutSeconds(policy, n))).toEqual([
      60, 120, 240, 1920, 3600, 3600,
    ]);
  });

  it('lets the right password in once the lockout is over, and starts a clean streak', () => {
    const given = [...patient, ...fourFailures, failed(5), lockedOut(1, 60)];
    spec
      .given(given)
      .when(signIn(true, after(60)))
      .then([{ type: 'UserSignedIn', data: { sessionId: 's-1', secondFactor: 'none', at: isoAfter(60) } }]);
    const state = foldEvents(userDecider, [
      ...given,
      { type: 'UserSignedIn', data: { sessionId: 's-1', secondFactor: 'none', at: isoAfter(60) } },
    ]);
    expect(state).toMatchObject({ lockout: { consecutiveFailures: 0, lockouts: 0, lockedUntil: undefined } });
  });

  it('is lifted by an administrator', () => {
    const given = [...patient, ...fourFailures, failed(5), lockedOut(1, 60)];
    spec
      .given(given)
      .when({ type: 'UnlockUser', at: after(5) })
      .then([{ type: 'UserUnlocked', data: { at: isoAfter(5) } }]);
    spec.given(patient).when({ type: 'UnlockUser', at: T0 }).thenNothingHappens();
  });

  it('is ended by a password reset', () => {
    const given: UserEvent[] = [
      ...patient,
      ...fourFailures,
      failed(5),
      lockedOut(1, 60),
      { type: 'UserPasswordSet', data: { passwordHash: PASSWORD_HASH, reason: 'reset', at: isoAfter(5) } },
    ];
    expect(lockedForSeconds(foldEvents(userDecider, given), after(6))).toBe(0);
  });
});
