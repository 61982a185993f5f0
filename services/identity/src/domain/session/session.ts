import { ms } from '../shared/time.js';

/** Why a session was cut short by someone or something other than its user. */
export type SessionRevocationReason =
  'refresh_token_reuse' | 'admin' | 'user_disabled' | 'password_changed' | 'mfa_reset' | 'role_changed';

export type SessionEvent =
  | {
      type: 'SessionStarted';
      data: {
        sessionId: string;
        userId: string;
        tenantId: string;
        /** The first refresh token of the family: its id and SHA-256, never the token. */
        tokenId: string;
        tokenHash: string;
        idleTimeoutSeconds: number;
        expiresAt: string;
        at: string;
      };
    }
  | {
      type: 'RefreshTokenRotated';
      data: { previousTokenId: string; tokenId: string; tokenHash: string; at: string };
    }
  | { type: 'SessionActivityRecorded'; data: { at: string } }
  | { type: 'RefreshTokenReuseDetected'; data: { tokenId: string; at: string } }
  | { type: 'SessionRevoked'; data: { reason: SessionRevocationReason; at: string } }
  | { type: 'SessionIdleTimedOut'; data: { lastActivityAt: string; at: string } }
  | { type: 'SessionExpired'; data: { expiresAt: string; at: string } }
  | { type: 'SessionLoggedOut'; data: { at: string } };

export type SessionEndReason = 'logged_out' | 'revoked' | 'idle_timeout' | 'expired';

interface SessionFacts {
  sessionId: string;
  userId: string;
  tenantId: string;
  startedAt: number;
  expiresAt: number;
  idleTimeoutSeconds: number;
  lastActivityAt: number;
}

export interface ActiveSession extends SessionFacts {
  status: 'active';
  currentTokenId: string;
  currentTokenHash: string;
  /** Hashes of the family's earlier tokens by id: presenting one of them is reuse. */
  previousTokens: Readonly<Record<string, string>>;
}

export interface EndedSession extends SessionFacts {
  status: 'ended';
  endReason: SessionEndReason;
  endedAt: number;
}

export type SessionState = { status: 'none' } | ActiveSession | EndedSession;

export const initialSessionState = (): SessionState => ({ status: 'none' });

const end = (s: ActiveSession, endReason: SessionEndReason, at: string): EndedSession => ({
  status: 'ended',
  sessionId: s.sessionId,
  userId: s.userId,
  tenantId: s.tenantId,
  startedAt: s.startedAt,
  expiresAt: s.expiresAt,
  idleTimeoutSeconds: s.idleTimeoutSeconds,
  lastActivityAt: s.lastActivityAt,
  endReason,
  endedAt: ms(at),
});

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  if (event.type === 'SessionStarted') {
    const d = event.data;
    return {
      status: 'active',
      sessionId: d.sessionId,
      userId: d.userId,
      tenantId: d.tenantId,
      startedAt: ms(d.at),
      expiresAt: ms(d.expiresAt),
      idleTimeoutSeconds: d.idleTimeoutSeconds,
      lastActivityAt: ms(d.at),
      currentTokenId: d.tokenId,
      currentTokenHash: d.tokenHash,
      previousTokens: {},
    };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'RefreshTokenRotated':
      return {
        ...state,
        previousTokens: { ...state.previousTokens, [state.currentTokenId]: state.currentTokenHash },
        currentTokenId: event.data.tokenId,
        currentTokenHash: event.data.tokenHash,
        lastActivityAt: ms(event.data.at),
      };
    case 'SessionActivityRecorded':
      return { ...state, lastActivityAt: ms(event.data.at) };
    case 'RefreshTokenReuseDetected':
      return state; // the SessionRevoked that always follows ends the session
    case 'SessionRevoked':
      return end(state, 'revoked', event.data.at);
    case 'SessionIdleTimedOut':
      return end(state, 'idle_timeout', event.data.at);
    case 'SessionExpired':
      return end(state, 'expired', event.data.at);
    case 'SessionLoggedOut':
      return end(state, 'logged_out', event.data.at);
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
