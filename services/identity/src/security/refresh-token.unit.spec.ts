import { describe, expect, it } from 'vitest';
import { foldEvents } from '@medspa/eventstore';
import { sessionDecider, sessionRejection } from '../domain/index.js';
import {
  hashRefreshToken,
  issueRefreshToken,
  parseRefreshToken,
  presentedRefreshToken,
  refreshTokenMatches,
} from './refresh-token.js';

const SID = '0195f0a2-7c4e-7000-8000-000000000001';

describe('refresh tokens', () => {
  it('are opaque, 256-bit, and stored only as a SHA-256', () => {
    const issued = issueRefreshToken(SID, 'rt-1');
    expect(issued.token).toMatch(/^msrt1\.0195f0a2-7c4e-7000-8000-000000000001\.rt-1\.[A-Za-z0-9_-]{43}$/);
    expect(issued.tokenHash).toBe(hashRefreshToken(issued.token));
    expect(issued.tokenHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.token).not.toContain(issued.tokenHash);
    expect(issueRefreshToken(SID, 'rt-1').token).not.toBe(issued.token);
    expect(issueRefreshToken(SID).tokenId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('parse back to family and token id, and refuse anything malformed', () => {
    const { token } = issueRefreshToken(SID, 'rt-1');
    expect(parseRefreshToken(token)).toEqual({ familyId: SID, tokenId: 'rt-1' });
    for (const bad of [
      '',
      'a.b.c',
      `x${token}`,
      `${token}.x`,
      token.slice(0, -1),
      token.replace('msrt1', 'msrt2'),
      `${token}${'A'.repeat(300)}`,
    ]) {
      expect(parseRefreshToken(bad)).toBeUndefined();
    }
  });

  it('match their stored hash in constant time, and nothing else', () => {
    const { token, tokenHash } = issueRefreshToken(SID, 'rt-1');
    expect(refreshTokenMatches(token, tokenHash)).toBe(true);
    expect(refreshTokenMatches(issueRefreshToken(SID, 'rt-1').token, tokenHash)).toBe(false);
    expect(refreshTokenMatches(token, 'short')).toBe(false);
  });

  it('drive the Session decider: rotate, then a replayed old token revokes the family', () => {
    const first = issueRefreshToken(SID);
    const second = issueRefreshToken(SID);
    const third = issueRefreshToken(SID);
    const t0 = new Date('2025-03-01T09:00:00Z');
    const start = sessionDecider.decide(
      {
        type: 'StartSession',
        sessionId: SID,
        userId: 'u-1',
        tenantId: 't-1',
        refreshToken: first,
        idleTimeoutSeconds: 900,
        lifetimeSeconds: 86_400,
        at: t0,
      },
      sessionDecider.initialState(),
    );
    const presented = presentedRefreshToken(first.token)!;
    const rotate = sessionDecider.decide(
      { type: 'RefreshSession', presented, next: second, at: new Date(t0.getTime() + 60_000) },
      foldEvents(sessionDecider, start),
    );
    expect(rotate.map((e) => e.type)).toEqual(['RefreshTokenRotated']);
    const replay = sessionDecider.decide(
      { type: 'RefreshSession', presented, next: third, at: new Date(t0.getTime() + 120_000) },
      foldEvents(sessionDecider, [...start, ...rotate]),
    );
    expect(replay.map((e) => e.type)).toEqual(['RefreshTokenReuseDetected', 'SessionRevoked']);
    expect(sessionRejection(replay)).toMatchObject({ reason: 'REFRESH_TOKEN_REUSED' });
    expect(JSON.stringify([...start, ...rotate, ...replay])).not.toContain(first.token.split('.')[3]);
  });
});
