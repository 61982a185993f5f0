import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClinic,
  enrolAndSignIn,
  rejection,
  startHarness,
  type IdentityHarness,
} from './testing/harness.js';

let h: IdentityHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const REASON = 'Patient collapsed in room 2; need the allergy list now';

describe('break-glass', () => {
  it('needs a real reason, puts the grant in the token, expires, and is loudly audited', async () => {
    const clinic = await createClinic(h);
    const { tokens } = await enrolAndSignIn(h, { tenantId: clinic.tenantId, email: clinic.ownerEmail });
    const client = h.client(tokens.accessToken);
    expect(await rejection(client.requestBreakGlass({ reason: '', durationMinutes: 0 }))).toMatchObject({
      reason: 'BREAK_GLASS_REASON_INVALID',
      kind: 'validation',
    });
    expect(
      await rejection(client.requestBreakGlass({ reason: 'emergency', durationMinutes: 0 })),
    ).toMatchObject({
      reason: 'BREAK_GLASS_REASON_INVALID',
    });
    expect(await rejection(client.requestBreakGlass({ reason: REASON, durationMinutes: 90 }))).toMatchObject({
      reason: 'BREAK_GLASS_DURATION_INVALID',
    });
    expect(await h.events('BreakGlassAccessRequested')).toHaveLength(0);

    const granted = await client.requestBreakGlass({ reason: REASON, durationMinutes: 10 });
    expect(granted.expiresAt!.getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(600_000);
    expect(granted.accessTokenExpiresAt!.getTime()).toBeLessThanOrEqual(granted.expiresAt!.getTime());
    const principal = await h.verifier().verify(granted.accessToken);
    expect(principal.breakGlass).toEqual({ reason: REASON });
    expect(await rejection(client.requestBreakGlass({ reason: REASON, durationMinutes: 10 }))).toMatchObject({
      reason: 'BREAK_GLASS_ALREADY_ACTIVE',
    });
    expect(h.logs.text()).toContain('BREAK-GLASS access granted');

    // While the grant lives, a refresh keeps the claim; after it expires, the claim is gone.
    h.clock.advance(5 * 60);
    const during = (await h.client().refresh({ refreshToken: tokens.refreshToken })).tokens!;
    expect((await h.verifier().verify(during.accessToken)).breakGlass).toEqual({ reason: REASON });
    expect(during.accessTokenExpiresAt!.getTime()).toBeLessThanOrEqual(granted.expiresAt!.getTime());
    h.clock.advance(6 * 60);
    const after = (await h.client().refresh({ refreshToken: during.refreshToken })).tokens!;
    expect((await h.verifier().verify(after.accessToken)).breakGlass).toBeUndefined();
    expect((await h.events('BreakGlassAccessExpired')).map((e) => e.data.grantId)).toEqual([granted.grantId]);

    // A new grant can be ended early.
    const again = await h.client(after.accessToken).requestBreakGlass({ reason: REASON, durationMinutes: 0 });
    const ended = await h.client(again.accessToken).endBreakGlass({});
    expect((await h.verifier().verify(ended.accessToken)).breakGlass).toBeUndefined();
    expect((await h.events('BreakGlassAccessEnded')).map((e) => e.data.grantId)).toEqual([again.grantId]);
  });
});
