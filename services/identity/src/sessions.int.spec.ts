import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@medspa/db';
import { findSession } from './projections/sessions/queries.js';
import {
  createClinic,
  enrolAndSignIn,
  PASSWORD,
  rejection,
  signInWithTotp,
  startHarness,
  type IdentityHarness,
} from './testing/harness.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function signedIn() {
  const clinic = await createClinic(h);
  const { tokens, secret } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
  return { clinic, tokens, secret };
}

const sessionRow = async (tenantId: string, sessionId: string) => {
  await h.service.catchUp(); // the read model is eventually consistent
  return findSession(h.service.app.pool, 'identity', tenantId, sessionId);
};

describe('sessions', () => {
  it('rotates the refresh token on every refresh and revokes the family when an old one is reused', async () => {
    const { clinic, tokens } = await signedIn();
    const first = tokens.refreshToken;
    const second = (await h.client().refresh({ refreshToken: first })).tokens!;
    expect(second.refreshToken).not.toBe(first);
    expect(second.sessionId).toBe(tokens.sessionId);
    expect(await h.verifier().verify(second.accessToken)).toMatchObject({ sessionId: tokens.sessionId });
    const third = (await h.client().refresh({ refreshToken: second.refreshToken })).tokens!;

    // The first token again: someone holds a copy. The whole session ends, the newest token too.
    expect(await rejection(h.client().refresh({ refreshToken: first }))).toMatchObject({
      reason: 'REFRESH_TOKEN_REUSED',
      kind: 'unauthenticated',
    });
    expect(await rejection(h.client().refresh({ refreshToken: third.refreshToken }))).toMatchObject({
      reason: 'SESSION_ENDED',
    });
    expect((await h.events('RefreshTokenReuseDetected')).map((e) => e.stream_id)).toContain(tokens.sessionId);
    expect(await sessionRow(clinic.tenantId, tokens.sessionId)).toMatchObject({ status: 'revoked' });
  });

  it('refuses a malformed or forged refresh token without touching the session', async () => {
    const { tokens } = await signedIn();
    const forged = tokens.refreshToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    for (const refreshToken of ['', 'msrt1.x', forged]) {
      expect(await rejection(h.client().refresh({ refreshToken }))).toMatchObject({
        reason: 'REFRESH_TOKEN_INVALID',
      });
    }
    expect(
      (await h.client().refresh({ refreshToken: tokens.refreshToken })).tokens?.accessToken,
    ).toBeTruthy();
  });

  it('logs off after 15 idle minutes, but not at 14', async () => {
    const { clinic, tokens } = await signedIn();
    h.clock.advance(14 * 60);
    const kept = (await h.client().refresh({ refreshToken: tokens.refreshToken })).tokens!;
    h.clock.advance(15 * 60 + 1);
    expect(await rejection(h.client().refresh({ refreshToken: kept.refreshToken }))).toMatchObject({
      reason: 'SESSION_IDLE_TIMEOUT',
    });
    expect(await sessionRow(clinic.tenantId, tokens.sessionId)).toMatchObject({ status: 'idle_timeout' });
  });

  it('ends a busy session after 24 hours however often it refreshes', async () => {
    const { tokens } = await signedIn();
    let refreshToken = tokens.refreshToken;
    let last = tokens;
    for (let elapsed = 0; elapsed + 14 * 60 < 24 * 3600; elapsed += 14 * 60) {
      h.clock.advance(14 * 60);
      last = (await h.client().refresh({ refreshToken })).tokens!;
      refreshToken = last.refreshToken;
    }
    // Never an access token past the session's end.
    expect(last.accessTokenExpiresAt!.getTime()).toBeLessThanOrEqual(last.sessionExpiresAt!.getTime());
    h.clock.advance(14 * 60);
    expect(await rejection(h.client().refresh({ refreshToken }))).toMatchObject({
      reason: 'SESSION_EXPIRED',
    });
  });

  it('logs out: the refresh token stops working and identity refuses the session', async () => {
    const { clinic, tokens } = await signedIn();
    await h.client(tokens.accessToken).logout({});
    expect(await rejection(h.client().refresh({ refreshToken: tokens.refreshToken }))).toMatchObject({
      reason: 'SESSION_ENDED',
    });
    expect(
      await rejection(
        h.client(tokens.accessToken).requestBreakGlass({ reason: 'x'.repeat(30), durationMinutes: 0 }),
      ),
    ).toMatchObject({ reason: 'SESSION_ENDED' });
    expect(await sessionRow(clinic.tenantId, tokens.sessionId)).toMatchObject({ status: 'logged_out' });
    // Row-level security: another clinic sees no such session.
    const other = await createClinic(h);
    expect(
      await findSession(h.service.app.pool, 'identity', other.tenantId, tokens.sessionId),
    ).toBeUndefined();
    const unscoped = await withTenant(h.service.app.pool, other.tenantId, (tx) =>
      tx.query('SELECT count(*)::int AS n FROM identity.sessions'),
    );
    expect(unscoped.rows[0]).toEqual({ n: 0 });
  });

  it("ends a user's other sessions when they change their password, keeping the one that changed it", async () => {
    const { clinic, tokens, secret } = await signedIn();
    h.clock.advance(30);
    const second = await signInWithTotp(h, {
      tenantId: clinic.tenantId,
      email: clinic.ownerEmail,
      password: PASSWORD,
      secret,
    });
    await sessionRow(clinic.tenantId, second.sessionId); // projected, so that it can be found
    await h.client(tokens.accessToken).setPassword({
      userId: '',
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(await rejection(h.client().refresh({ refreshToken: second.refreshToken }))).toMatchObject({
      reason: 'SESSION_ENDED',
    });
    expect(
      (await h.client().refresh({ refreshToken: tokens.refreshToken })).tokens?.accessToken,
    ).toBeTruthy();
    expect(
      await rejection(
        h
          .client(tokens.accessToken)
          .setPassword({ userId: '', currentPassword: 'wrong', newPassword: 'x'.repeat(20) }),
      ),
    ).toMatchObject({ reason: 'INVALID_CREDENTIALS' });
  });
});
