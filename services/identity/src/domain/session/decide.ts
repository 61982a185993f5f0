import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { constantTimeEqual } from '../shared/constant-time.js';
import { isSha256Base64Url } from '../shared/formats.js';
import { iso, isoPlusSeconds } from '../shared/time.js';
import { lapse } from './queries.js';
import {
  evolveSession,
  initialSessionState,
  type ActiveSession,
  type SessionEvent,
  type SessionRevocationReason,
  type SessionState,
} from './session.js';

/** One refresh token as the domain sees it: its id and its SHA-256 (security/refresh-token). */
export interface RefreshTokenRef {
  tokenId: string;
  tokenHash: string;
}

export type SessionCommand =
  | {
      type: 'StartSession';
      sessionId: string;
      userId: string;
      tenantId: string;
      refreshToken: RefreshTokenRef;
      /** From the tenant's settings. */
      idleTimeoutSeconds: number;
      lifetimeSeconds: number;
      at: Date;
    }
  /** Exchange `presented` (the token the client sent) for `next` (a fresh one, made by the caller). */
  | { type: 'RefreshSession'; presented: RefreshTokenRef; next: RefreshTokenRef; at: Date }
  /** Reported by the gateway while the user works; recorded at most once a minute. */
  | { type: 'RecordSessionActivity'; at: Date }
  | { type: 'Logout'; at: Date }
  | { type: 'RevokeSession'; reason: Exclude<SessionRevocationReason, 'refresh_token_reuse'>; at: Date };

export const MAX_IDLE_TIMEOUT_SECONDS = 15 * 60;
export const MAX_SESSION_LIFETIME_SECONDS = 24 * 60 * 60;
/** Activity closer together than this is not worth an event: idle logoff works in minutes. */
export const ACTIVITY_RECORD_INTERVAL_MS = 60_000;

const TOKEN_ID = /^[A-Za-z0-9_-]{1,64}$/;

const started = (state: SessionState) => {
  if (state.status === 'none') throw errors.notFound('SESSION_NOT_FOUND', 'The session does not exist');
  return state;
};
const active = (state: SessionState): ActiveSession => {
  const s = started(state);
  if (s.status === 'ended') {
    throw errors.unauthenticated('SESSION_ENDED', 'The session has ended; sign in again');
  }
  return s;
};
const refreshTokenInvalid = () =>
  errors.unauthenticated('REFRESH_TOKEN_INVALID', 'The refresh token is not valid');

function assertFreshToken(s: ActiveSession | undefined, next: RefreshTokenRef): void {
  const known =
    s !== undefined && (next.tokenId === s.currentTokenId || Object.hasOwn(s.previousTokens, next.tokenId));
  if (!TOKEN_ID.test(next.tokenId) || !isSha256Base64Url(next.tokenHash) || known) {
    throw errors.validation('REFRESH_TOKEN_REF_INVALID', 'The request is invalid', {
      violations: [{ field: 'refreshToken', message: 'must be a new token id with a SHA-256 hash' }],
    });
  }
}

function decideRefresh(
  command: Extract<SessionCommand, { type: 'RefreshSession' }>,
  state: SessionState,
): SessionEvent[] {
  const s = active(state);
  const { presented, at } = command;
  if (presented.tokenId === s.currentTokenId) {
    if (!constantTimeEqual(presented.tokenHash, s.currentTokenHash)) throw refreshTokenInvalid();
    const lapsed = lapse(s, at);
    if (lapsed !== undefined) return [lapsed];
    assertFreshToken(s, command.next);
    const { tokenId, tokenHash } = command.next;
    return [
      {
        type: 'RefreshTokenRotated',
        data: { previousTokenId: s.currentTokenId, tokenId, tokenHash, at: iso(at) },
      },
    ];
  }
  // Only the holder of a real, already rotated token can set this off; an id alone (which appears
  // in events) cannot, or anyone could end other people's sessions.
  const oldHash = Object.hasOwn(s.previousTokens, presented.tokenId)
    ? s.previousTokens[presented.tokenId]
    : undefined;
  if (oldHash !== undefined && constantTimeEqual(oldHash, presented.tokenHash)) {
    return [
      { type: 'RefreshTokenReuseDetected', data: { tokenId: presented.tokenId, at: iso(at) } },
      { type: 'SessionRevoked', data: { reason: 'refresh_token_reuse', at: iso(at) } },
    ];
  }
  throw refreshTokenInvalid();
}

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession': {
      if (state.status !== 'none') throw errors.conflict('SESSION_EXISTS', 'The session already exists');
      const { idleTimeoutSeconds: idle, lifetimeSeconds: life } = command;
      const violations = [];
      if (!Number.isInteger(idle) || idle < 60 || idle > MAX_IDLE_TIMEOUT_SECONDS) {
        violations.push({
          field: 'idleTimeoutSeconds',
          message: `must be 60 to ${MAX_IDLE_TIMEOUT_SECONDS}`,
        });
      }
      if (!Number.isInteger(life) || life < 60 || life > MAX_SESSION_LIFETIME_SECONDS) {
        violations.push({
          field: 'lifetimeSeconds',
          message: `must be 60 to ${MAX_SESSION_LIFETIME_SECONDS}`,
        });
      }
      if (violations.length > 0) {
        throw errors.validation('SESSION_POLICY_INVALID', 'The request is invalid', { violations });
      }
      assertFreshToken(undefined, command.refreshToken);
      const { sessionId, userId, tenantId, refreshToken, at } = command;
      return [
        {
          type: 'SessionStarted',
          data: {
            sessionId,
            userId,
            tenantId,
            tokenId: refreshToken.tokenId,
            tokenHash: refreshToken.tokenHash,
            idleTimeoutSeconds: idle,
            expiresAt: isoPlusSeconds(at, life),
            at: iso(at),
          },
        },
      ];
    }
    case 'RefreshSession':
      return decideRefresh(command, state);
    case 'RecordSessionActivity': {
      const s = active(state);
      const lapsed = lapse(s, command.at);
      if (lapsed !== undefined) return [lapsed];
      if (command.at.getTime() - s.lastActivityAt < ACTIVITY_RECORD_INTERVAL_MS) return [];
      return [{ type: 'SessionActivityRecorded', data: { at: iso(command.at) } }];
    }
    case 'Logout':
      return started(state).status === 'ended'
        ? []
        : [{ type: 'SessionLoggedOut', data: { at: iso(command.at) } }];
    case 'RevokeSession':
      return started(state).status === 'ended'
        ? []
        : [{ type: 'SessionRevoked', data: { reason: command.reason, at: iso(command.at) } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** A sign-in session and its refresh-token family: rotation, reuse detection, idle logoff, expiry. */
export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  decide: decideSession,
  evolve: evolveSession,
  initialState: initialSessionState,
};
