import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { isoAfter, T0 } from '../unit-fixtures.js';
import { sessionDecider } from './decide.js';
import { sessionRejection } from './queries.js';
import type { SessionEvent } from './session.js';
import { at, refresh, rotated, started, token } from './session-fixtures.js';

const spec = deciderSpec(sessionDecider);
describe('Session start', () => {
  it('starts with the first refresh token of its family, 24 h absolute, 15 min idle', () => {
    spec
      .given([])
      .when({
        type: 'StartSession',
        sessionId: 's-1',
        userId: 'u-1',
        tenantId: 't-1',
        refreshToken: token(1),
        idleTimeoutSeconds: 900,
        lifetimeSeconds: 86_400,
        at: T0,
      })
      .then([started]);
  });

  it('refuses a raw token in place of its hash, and a looser policy than the mission allows', () => {
    const base = { type: 'StartSession', sessionId: 's-1', userId: 'u-1', tenantId: 't-1', at: T0 } as const;
    spec
      .given([])
      .when({
        ...base,
        refreshToken: { tokenId: 'rt-1', tokenHash: 'msrt1.s-1.rt-1.secret' },
        idleTimeoutSeconds: 900,
        lifetimeSeconds: 86_400,
      })
      .thenThrows('REFRESH_TOKEN_REF_INVALID');
    spec
      .given([])
      .when({ ...base, refreshToken: token(1), idleTimeoutSeconds: 1800, lifetimeSeconds: 86_400 })
      .thenThrows('SESSION_POLICY_INVALID');
    spec
      .given([])
      .when({ ...base, refreshToken: token(1), idleTimeoutSeconds: 900, lifetimeSeconds: 2 * 86_400 })
      .thenThrows('SESSION_POLICY_INVALID');
    spec
      .given([started])
      .when({ ...base, refreshToken: token(2), idleTimeoutSeconds: 900, lifetimeSeconds: 86_400 })
      .thenThrows('SESSION_EXISTS');
  });
});

describe('Session refresh-token rotation', () => {
  it('rotates the latest token for a new one', () => {
    spec
      .given([started])
      .when(refresh(token(1), token(2), 600))
      .then([rotated(1, 2, 600)]);
  });

  it('revokes the whole family when an already rotated token comes back', () => {
    const events: SessionEvent[] = [
      { type: 'RefreshTokenReuseDetected', data: { tokenId: 'rt-1', at: isoAfter(700) } },
      { type: 'SessionRevoked', data: { reason: 'refresh_token_reuse', at: isoAfter(700) } },
    ];
    spec
      .given([started, rotated(1, 2, 600)])
      .when(refresh(token(1), token(3), 700))
      .then(events);
    expect(sessionRejection(events)).toMatchObject({
      reason: 'REFRESH_TOKEN_REUSED',
      kind: 'unauthenticated',
    });
    // The legitimate holder of the latest token is now locked out of the family too.
    spec
      .given([started, rotated(1, 2, 600), ...events])
      .when(refresh(token(2), token(3), 710))
      .thenThrows('SESSION_ENDED');
  });

  it('does not revoke for a token id without its secret (the id alone is no proof of theft)', () => {
    spec
      .given([started, rotated(1, 2, 600)])
      .when(refresh({ tokenId: 'rt-1', tokenHash: 'Z'.repeat(43) }, token(3), 700))
      .thenThrows('REFRESH_TOKEN_INVALID');
    spec
      .given([started])
      .when(refresh({ tokenId: 'rt-1', tokenHash: 'Z'.repeat(43) }, token(3), 60))
      .thenThrows('REFRESH_TOKEN_INVALID');
    spec
      .given([started])
      .when(refresh({ tokenId: 'constructor', tokenHash: 'Z'.repeat(43) }, token(3), 60))
      .thenThrows('REFRESH_TOKEN_INVALID');
  });

  it('refuses a next token whose id the family already used', () => {
    spec
      .given([started, rotated(1, 2, 600)])
      .when(refresh(token(2), token(1), 700))
      .thenThrows('REFRESH_TOKEN_REF_INVALID');
  });

  it('logs off after more than 15 idle minutes (exactly 15 is still fine)', () => {
    spec
      .given([started])
      .when(refresh(token(1), token(2), 900))
      .then([rotated(1, 2, 900)]);
    const timedOut: SessionEvent = {
      type: 'SessionIdleTimedOut',
      data: { lastActivityAt: at, at: isoAfter(901) },
    };
    spec
      .given([started])
      .when(refresh(token(1), token(2), 901))
      .then([timedOut]);
    expect(sessionRejection([timedOut])).toMatchObject({ reason: 'SESSION_IDLE_TIMEOUT' });
  });

  it('counts idle time from the last rotation or recorded activity', () => {
    const activity: SessionEvent = { type: 'SessionActivityRecorded', data: { at: isoAfter(800) } };
    spec
      .given([started, activity])
      .when(refresh(token(1), token(2), 1600))
      .then([rotated(1, 2, 1600)]);
  });

  it('ends at the 24 h absolute lifetime however active it is', () => {
    const history: SessionEvent[] = [started];
    for (let i = 1; i < 100; i++) history.push(rotated(i, i + 1, i * 870));
    const expired: SessionEvent = {
      type: 'SessionExpired',
      data: { expiresAt: isoAfter(86_400), at: isoAfter(86_400) },
    };
    spec
      .given(history)
      .when(refresh(token(100), token(101), 86_400))
      .then([expired]);
    expect(sessionRejection([expired])).toMatchObject({ reason: 'SESSION_EXPIRED' });
  });

  it('refuses a refresh for an unknown session', () => {
    spec
      .given([])
      .when(refresh(token(1), token(2), 1))
      .thenThrows('SESSION_NOT_FOUND');
  });
});
