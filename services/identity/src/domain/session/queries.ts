import { ACCESS_TOKEN_TTL_SECONDS } from '@medspa/auth';
import { errors, type AppError } from '@medspa/errors';
import { iso } from '../shared/time.js';
import type { ActiveSession, SessionEvent, SessionState } from './session.js';

/**
 * The event that ends a session which has outlived its absolute lifetime or sat idle too long,
 * or undefined while it is still good at `at`. Exactly the idle limit is still good.
 */
export function lapse(s: ActiveSession, at: Date): SessionEvent | undefined {
  const t = at.getTime();
  if (t >= s.expiresAt)
    return { type: 'SessionExpired', data: { expiresAt: new Date(s.expiresAt).toISOString(), at: iso(at) } };
  if (t - s.lastActivityAt > s.idleTimeoutSeconds * 1000) {
    return {
      type: 'SessionIdleTimedOut',
      data: { lastActivityAt: new Date(s.lastActivityAt).toISOString(), at: iso(at) },
    };
  }
  return undefined;
}

/** True when the session may still be used at `at` (not ended, not expired, not idle too long). */
export const isSessionUsable = (state: SessionState, at: Date): boolean =>
  state.status === 'active' && lapse(state, at) === undefined;

/**
 * How long an access token issued now may live: 15 minutes, but never past the session's
 * absolute end. 0 means issue none.
 */
export function accessTokenTtlSeconds(state: SessionState, at: Date): number {
  if (state.status !== 'active' || lapse(state, at) !== undefined) return 0;
  return Math.min(ACCESS_TOKEN_TTL_SECONDS, Math.floor((state.expiresAt - at.getTime()) / 1000));
}

/** The error to answer a refresh with, given the events it produced; undefined when it rotated. */
export function sessionRejection(events: readonly SessionEvent[]): AppError | undefined {
  for (const e of events) {
    switch (e.type) {
      case 'RefreshTokenReuseDetected':
        return errors.unauthenticated(
          'REFRESH_TOKEN_REUSED',
          'The refresh token was already used; the session is revoked',
        );
      case 'SessionIdleTimedOut':
        return errors.unauthenticated(
          'SESSION_IDLE_TIMEOUT',
          'The session timed out after inactivity; sign in again',
        );
      case 'SessionExpired':
        return errors.unauthenticated('SESSION_EXPIRED', 'The session has expired; sign in again');
      case 'SessionStarted':
      case 'RefreshTokenRotated':
      case 'SessionActivityRecorded':
      case 'SessionRevoked':
      case 'SessionLoggedOut':
        break;
      default: {
        const _exhaustive: never = e;
      }
    }
  }
  return undefined;
}
