import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import {
  after,
  enrolledStaff,
  failed,
  isoAfter,
  patient,
  RECOVERY_HASHES,
  recoveryCodes,
  registered,
  signIn,
  T0,
} from '../unit-fixtures.js';
import { userDecider } from './decide.js';
import { signInRejection } from './sign-in.js';
import type { UserEvent } from './user.js';

const spec = deciderSpec(userDecider);

describe('User sign-in', () => {
  it('signs a patient in with a password alone', () => {
    spec
      .given(patient)
      .when(signIn(true))
      .then([
        { type: 'UserSignedIn', data: { sessionId: 's-1', secondFactor: 'none', at: T0.toISOString() } },
      ]);
  });

  it('records a wrong password as a failure, answered generically', () => {
    spec
      .given(patient)
      .when(signIn(false))
      .then([failed(1)]);
    expect(signInRejection([failed(1)])).toMatchObject({
      reason: 'INVALID_CREDENTIALS',
      kind: 'unauthenticated',
    });
  });

  it('asks an enrolled user for the second factor', () => {
    spec.given(enrolledStaff()).when(signIn(true)).thenThrows('MFA_REQUIRED');
  });

  it('signs in with a TOTP code from a later time step and remembers the step', () => {
    spec
      .given(enrolledStaff())
      .when(signIn(true, after(60), { kind: 'totp', matchedTimeStep: 1002 }))
      .then([
        {
          type: 'UserSignedIn',
          data: { sessionId: 's-1', secondFactor: 'totp', totpTimeStep: 1002, at: isoAfter(60) },
        },
      ]);
  });

  it('refuses a TOTP code replayed from a time step already used', () => {
    const usedStep: UserEvent = {
      type: 'UserSignedIn',
      data: { sessionId: 's-0', secondFactor: 'totp', totpTimeStep: 1002, at: isoAfter(60) },
    };
    spec
      .given([...enrolledStaff(), usedStep])
      .when(signIn(true, after(70), { kind: 'totp', matchedTimeStep: 1002 }))
      .then([failed(1, after(70), 'totp_replayed')]);
    // The step used to confirm the enrolment counts too.
    spec
      .given(enrolledStaff())
      .when(signIn(true, after(31), { kind: 'totp', matchedTimeStep: 1000 }))
      .then([failed(1, after(31), 'totp_replayed')]);
    expect(signInRejection([failed(1, T0, 'totp_replayed')])).toMatchObject({ reason: 'MFA_CODE_INVALID' });
  });

  it('counts a wrong TOTP code as a failure', () => {
    spec
      .given(enrolledStaff())
      .when(signIn(true, T0, { kind: 'totp', matchedTimeStep: null }))
      .then([failed(1, T0, 'bad_totp')]);
  });

  it('accepts each recovery code once', () => {
    const hash = RECOVERY_HASHES[3]!;
    const given = [...enrolledStaff(), recoveryCodes];
    const used: UserEvent[] = [
      {
        type: 'UserSignedIn',
        data: { sessionId: 's-1', secondFactor: 'recovery_code', at: T0.toISOString() },
      },
      { type: 'RecoveryCodeUsed', data: { codeHash: hash, remaining: 9, at: T0.toISOString() } },
    ];
    spec
      .given(given)
      .when(signIn(true, T0, { kind: 'recovery_code', codeHash: hash }))
      .then(used);
    spec
      .given([...given, ...used])
      .when(signIn(true, T0, { kind: 'recovery_code', codeHash: hash }))
      .then([failed(1, T0, 'bad_recovery_code')]);
  });

  it('refuses a second factor the user never enrolled', () => {
    spec
      .given(patient)
      .when(signIn(true, T0, { kind: 'totp', matchedTimeStep: 5 }))
      .thenThrows('MFA_NOT_ENROLLED');
  });

  it('refuses disabled accounts, accounts without a password and unknown users', () => {
    spec
      .given([...patient, { type: 'UserDisabled', data: { at: T0.toISOString() } }])
      .when(signIn(true))
      .thenThrows('ACCOUNT_DISABLED');
    spec
      .given([registered('patient')])
      .when(signIn(true))
      .thenThrows('PASSWORD_NOT_SET');
    spec.given([]).when(signIn(true)).thenThrows('USER_NOT_FOUND');
  });
});
