import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { foldEvents } from '@medspa/eventstore';
import { userDecider } from './decide.js';
import { canAccessPhi, mustEnrolMfa } from './queries.js';
import {
  after,
  enrolledStaff,
  isoAfter,
  passwordSet,
  RECOVERY_HASHES,
  recoveryCodes,
  registered,
  SECRET_REF,
  T0,
  totpConfirmed,
  totpStarted,
} from '../unit-fixtures.js';

const spec = deciderSpec(userDecider);
const at = T0.toISOString();

describe('User TOTP enrolment and recovery codes', () => {
  it('starts an enrolment with an encrypted secret reference', () => {
    spec
      .given([registered()])
      .when({ type: 'StartTotpEnrolment', secretRef: SECRET_REF, at: T0 })
      .then([totpStarted]);
  });

  it('refuses a raw base32 secret in place of the reference', () => {
    spec
      .given([registered()])
      .when({ type: 'StartTotpEnrolment', secretRef: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', at: T0 })
      .thenThrows('TOTP_SECRET_NOT_ENCRYPTED');
  });

  it('confirms with a code that matched, remembering its time step', () => {
    spec
      .given([registered(), totpStarted])
      .when({ type: 'ConfirmTotpEnrolment', matchedTimeStep: 1000, at: after(30) })
      .then([totpConfirmed(1000)]);
  });

  it('refuses a wrong code, a missing or stale enrolment, and a second enrolment', () => {
    spec
      .given([registered(), totpStarted])
      .when({ type: 'ConfirmTotpEnrolment', matchedTimeStep: null, at: after(30) })
      .thenThrows('MFA_CODE_INVALID');
    spec
      .given([registered()])
      .when({ type: 'ConfirmTotpEnrolment', matchedTimeStep: 1, at: T0 })
      .thenThrows('MFA_ENROLMENT_NOT_STARTED');
    spec
      .given([registered(), totpStarted])
      .when({ type: 'ConfirmTotpEnrolment', matchedTimeStep: 1, at: after(601) })
      .thenThrows('MFA_ENROLMENT_EXPIRED');
    spec
      .given(enrolledStaff())
      .when({ type: 'StartTotpEnrolment', secretRef: SECRET_REF, at: T0 })
      .thenThrows('MFA_ALREADY_ENROLLED');
  });

  it('keeps staff away from PHI until MFA is confirmed; patients need no MFA', () => {
    const pending = foldEvents(userDecider, [registered('front_desk'), passwordSet, totpStarted]);
    expect(canAccessPhi(pending)).toBe(false);
    expect(mustEnrolMfa(pending)).toBe(true);
    const enrolled = foldEvents(userDecider, enrolledStaff());
    expect(canAccessPhi(enrolled)).toBe(true);
    expect(mustEnrolMfa(enrolled)).toBe(false);
    expect(canAccessPhi(foldEvents(userDecider, [registered('patient'), passwordSet]))).toBe(true);
    expect(
      canAccessPhi(foldEvents(userDecider, [...enrolledStaff(), { type: 'UserDisabled', data: { at } }])),
    ).toBe(false);
    expect(canAccessPhi(userDecider.initialState())).toBe(false);
  });

  it('generates ten distinct recovery code hashes once MFA is enrolled', () => {
    spec
      .given(enrolledStaff())
      .when({ type: 'GenerateRecoveryCodes', codeHashes: RECOVERY_HASHES, at: after(40) })
      .then([recoveryCodes]);
    spec
      .given([registered()])
      .when({ type: 'GenerateRecoveryCodes', codeHashes: RECOVERY_HASHES, at: T0 })
      .thenThrows('MFA_NOT_ENROLLED');
  });

  it('refuses raw codes, duplicates or the wrong count', () => {
    const raw = Array.from({ length: 10 }, (_, i) => `ABCD-EFGH-JKMN-PQR${i}`);
    for (const codeHashes of [
      raw,
      RECOVERY_HASHES.slice(1),
      [...RECOVERY_HASHES.slice(1), RECOVERY_HASHES[1]!],
    ]) {
      spec
        .given(enrolledStaff())
        .when({ type: 'GenerateRecoveryCodes', codeHashes, at: T0 })
        .thenThrows('RECOVERY_CODES_INVALID');
    }
  });

  it('resets MFA, dropping the secret, the codes and the replay marker', () => {
    spec
      .given([...enrolledStaff(), recoveryCodes])
      .when({ type: 'ResetMfa', at: after(60) })
      .then([{ type: 'MfaReset', data: { at: isoAfter(60) } }]);
    const reset = foldEvents(userDecider, [
      ...enrolledStaff(),
      recoveryCodes,
      { type: 'MfaReset', data: { at } },
    ]);
    expect(reset).toMatchObject({
      mfa: { status: 'none' },
      recoveryCodeHashes: [],
      lastTotpTimeStep: undefined,
    });
    spec.given([registered()]).when({ type: 'ResetMfa', at: T0 }).thenNothingHappens();
  });
});
