import type { UserRole } from '@medspa/auth';
import { ms } from '../shared/time.js';

/*
 * Break-glass: emergency access to PHI beyond a role's normal reach, declared by a user with a
 * written reason, for a short time, and reviewed afterwards. Every event type is named
 * `BreakGlassAccess…` so that no consumer, log search or reviewer can miss one; the audit
 * service flags them all (see domain/audit-severity).
 *
 * One stream per session: a grant belongs to the session whose access tokens carry the
 * `break_glass` claim, and a session holds at most one grant at a time.
 */

export type BreakGlassEvent =
  | {
      type: 'BreakGlassAccessRequested';
      data: {
        grantId: string;
        sessionId: string;
        userId: string;
        tenantId: string;
        role: UserRole;
        reason: string;
        at: string;
      };
    }
  | { type: 'BreakGlassAccessGranted'; data: { grantId: string; expiresAt: string; at: string } }
  | { type: 'BreakGlassAccessEnded'; data: { grantId: string; at: string } }
  | { type: 'BreakGlassAccessExpired'; data: { grantId: string; expiresAt: string; at: string } };

export interface ActiveBreakGlass {
  status: 'active';
  grantId: string;
  userId: string;
  reason: string;
  grantedAt: number;
  expiresAt: number;
  grantsSoFar: number;
}

export type BreakGlassState =
  | { status: 'inactive'; grantsSoFar: number }
  /** Between Requested and Granted, which are always decided together. */
  | { status: 'requested'; grantId: string; userId: string; reason: string; grantsSoFar: number }
  | ActiveBreakGlass;

export const initialBreakGlassState = (): BreakGlassState => ({ status: 'inactive', grantsSoFar: 0 });

export function evolveBreakGlass(state: BreakGlassState, event: BreakGlassEvent): BreakGlassState {
  switch (event.type) {
    case 'BreakGlassAccessRequested':
      return {
        status: 'requested',
        grantId: event.data.grantId,
        userId: event.data.userId,
        reason: event.data.reason,
        grantsSoFar: state.grantsSoFar,
      };
    case 'BreakGlassAccessGranted':
      if (state.status !== 'requested') return state;
      return {
        status: 'active',
        grantId: state.grantId,
        userId: state.userId,
        reason: state.reason,
        grantedAt: ms(event.data.at),
        expiresAt: ms(event.data.expiresAt),
        grantsSoFar: state.grantsSoFar + 1,
      };
    case 'BreakGlassAccessEnded':
    case 'BreakGlassAccessExpired':
      return { status: 'inactive', grantsSoFar: state.grantsSoFar };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
