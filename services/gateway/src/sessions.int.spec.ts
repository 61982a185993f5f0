import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testing/platform.js';
import { rest } from './testing/rest.js';
import { signInThroughRest } from './testing/sign-in.js';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ audit: false });
});
afterAll(async () => p?.close());

// A read any staff role may make; an unknown id answers 404 once the edge let the request through.
const probe = (token: string) => rest(p.gateway, 'GET', `/v1/appointments/${randomUUID()}`, { token });

describe('sessions at the edge (identity tokens, Redis)', () => {
  it('logs a session off after 15 idle minutes, and a refresh does not revive it', async () => {
    const { tokens } = await signInThroughRest(p);
    expect((await probe(tokens.accessToken!)).status).toBe(404);
    p.sessionClock.offsetMs += 14 * 60_000;
    expect((await probe(tokens.accessToken!)).status).toBe(404);
    p.sessionClock.offsetMs += 15 * 60_000 + 1_000;
    try {
      const idle = await probe(tokens.accessToken!);
      expect(idle.status).toBe(401);
      expect(idle.body).toMatchObject({ code: 'SESSION_IDLE' });
      expect(idle.headers['www-authenticate']).toBe('Bearer');
      const refreshed = await rest(p.gateway, 'POST', '/v1/auth/refresh', {
        body: { refreshToken: tokens.refreshToken },
      });
      expect(refreshed.status).toBe(401);
      expect(refreshed.body.code).toBe('SESSION_IDLE');
    } finally {
      p.sessionClock.offsetMs = 0;
    }
  });

  it('refuses the still-valid access token of a logged-out session at once, for its lifetime only', async () => {
    const { tokens } = await signInThroughRest(p);
    expect((await probe(tokens.accessToken!)).status).toBe(404);
    const out = await rest(p.gateway, 'POST', '/v1/auth/logout', { token: tokens.accessToken! });
    expect(out.status).toBe(200);
    const after = await probe(tokens.accessToken!);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('SESSION_REVOKED');
    const ttl = await p.redis.pttl(`${p.redisPrefix}session:${tokens.sessionId}:revoked`);
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    // Identity ended the session too: its refresh token is dead.
    const refreshed = await rest(p.gateway, 'POST', '/v1/auth/refresh', {
      body: { refreshToken: tokens.refreshToken },
    });
    expect(refreshed.status).toBe(401);
  });

  it("refuses tampered, expired, wrong-audience and enrolment-only tokens signed with identity's keys", async () => {
    const tenantId = randomUUID();
    const valid = await p.token({ tenantId, role: 'front_desk' });
    expect((await probe(valid)).status).toBe(404);
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const otherClinic = Buffer.from(JSON.stringify({ ...claims, tid: randomUUID() })).toString('base64url');
    const expired = await p.token({
      tenantId,
      role: 'front_desk',
      ttlSeconds: 60,
      issuedAt: new Date(Date.now() - 5 * 60_000),
    });
    const enrolment = await p.token({ tenantId, role: 'owner', audience: 'medspa.identity.mfa-enrolment' });
    const cases: [string, string][] = [
      [`${header}.${otherClinic}.${signature}`, 'TOKEN_INVALID'],
      [expired, 'TOKEN_EXPIRED'],
      [await p.token({ tenantId, role: 'owner', audience: 'another-platform' }), 'TOKEN_WRONG_AUDIENCE'],
      [enrolment, 'TOKEN_WRONG_AUDIENCE'],
    ];
    for (const [token, code] of cases) {
      const res = await probe(token);
      expect(res.status, code).toBe(401);
      expect(res.body.code).toBe(code);
    }
  });
});
