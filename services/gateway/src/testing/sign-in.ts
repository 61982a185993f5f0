/* eslint-disable @typescript-eslint/no-unsafe-member-access -- test code walks parsed JSON bodies; a wrong path fails the assertion */
import { expect } from 'vitest';
import { codeFor, createClinic } from '../../../identity/src/testing/harness.js';
import type { Platform } from './platform.js';
import { rest } from './rest.js';

const PASSWORD = 'a sturdy passphrase for staff';

/** An owner signed in through REST only: password, TOTP enrolment, password again, TOTP. */
export async function signInThroughRest(p: Platform) {
  const clinic = await createClinic(p.identity);
  const signIn = { tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD };
  const first = await rest(p.gateway, 'POST', '/v1/auth/sign-in', { body: signIn });
  expect(first.status).toBe(200);
  const enrolmentToken = first.body.enrolmentRequired.enrolmentToken as string;
  const started = await rest(p.gateway, 'POST', '/v1/auth/totp/enrolment', { token: enrolmentToken });
  expect(started.status).toBe(200);
  const secret = started.body.secret as string;
  const confirmed = await rest(p.gateway, 'POST', '/v1/auth/totp/enrolment/confirm', {
    token: enrolmentToken,
    body: { code: await codeFor(p.identity, secret) },
  });
  expect(confirmed.body.recoveryCodes).toHaveLength(10);
  p.identity.clock.advance(30); // the confirming code's time step is used up

  const second = await rest(p.gateway, 'POST', '/v1/auth/sign-in', { body: signIn });
  const challengeToken = second.body.mfaRequired.challengeToken as string;
  const verified = await rest(p.gateway, 'POST', '/v1/auth/mfa/verify', {
    body: { tenantId: clinic.tenantId, challengeToken, totpCode: await codeFor(p.identity, secret) },
  });
  expect(verified.status).toBe(200);
  return { tenantId: clinic.tenantId, tokens: verified.body.tokens as Record<string, string> };
}
