import { after, isoAfter, T0 } from '../unit-fixtures.js';
import type { RefreshTokenRef } from './decide.js';
import type { SessionEvent } from './session.js';

// Events and commands shared by the session specs: a session started at T0 with token rt-1.
export const token = (n: number): RefreshTokenRef => ({
  tokenId: `rt-${n}`,
  tokenHash: String.fromCharCode(64 + n).repeat(43),
});
export const at = T0.toISOString();

export const started: SessionEvent = {
  type: 'SessionStarted',
  data: {
    sessionId: 's-1',
    userId: 'u-1',
    tenantId: 't-1',
    tokenId: 'rt-1',
    tokenHash: token(1).tokenHash,
    idleTimeoutSeconds: 900,
    expiresAt: isoAfter(86_400),
    at,
  },
};
export const rotated = (from: number, to: number, seconds: number): SessionEvent => ({
  type: 'RefreshTokenRotated',
  data: {
    previousTokenId: `rt-${from}`,
    tokenId: `rt-${to}`,
    tokenHash: token(to).tokenHash,
    at: isoAfter(seconds),
  },
});
export const refresh = (presented: RefreshTokenRef, next: RefreshTokenRef, seconds: number) =>
  ({ type: 'RefreshSession', presented, next, at: after(seconds) }) as const;
