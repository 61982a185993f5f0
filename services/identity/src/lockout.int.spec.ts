import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinic, PASSWORD, rejection, startHarness, type IdentityHarness } from './testing/harness.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const lockoutLengths = async (userId: string): Promise<number[]> =>
  (await h.events('UserLockedOut'))
    .filter((e) => e.stream_id === userId)
    .map((e) => (Date.parse(e.data.lockedUntil as string) - Date.parse(e.data.at as string)) / 1000);

describe('lockout', () => {
  it('locks after 5 failures, refuses even the right password while locked, and doubles the next lockout', async () => {
    const clinic = await createClinic(h);
    const attempt = (password: string) =>
      rejection(h.client().signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password }));
    for (let i = 0; i < 4; i++) {
      expect(await attempt(`wrong passphrase ${i}`)).toMatchObject({ reason: 'INVALID_CREDENTIALS' });
    }
    expect(await attempt('wrong passphrase 4')).toMatchObject({
      reason: 'ACCOUNT_LOCKED',
      kind: 'rate_limited',
    });
    expect(await attempt(PASSWORD)).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
    expect(await lockoutLengths(clinic.ownerUserId)).toEqual([60]);
    // Guessing during the lockout is neither recorded nor extends it.
    expect(
      (await h.events('UserSignInFailed')).filter((e) => e.stream_id === clinic.ownerUserId),
    ).toHaveLength(5);

    h.clock.advance(61);
    for (let i = 0; i < 4; i++) await attempt(`wrong again ${i}`);
    expect(await attempt('wrong again 4')).toMatchObject({ reason: 'ACCOUNT_LOCKED' });
    expect(await lockoutLengths(clinic.ownerUserId)).toEqual([60, 120]);

    h.clock.advance(121);
    const ok = await h
      .client()
      .signIn({ tenantId: clinic.tenantId, email: clinic.ownerEmail, password: PASSWORD });
    expect(ok.result?.$case).toBe('enrolmentRequired');
  });
});
