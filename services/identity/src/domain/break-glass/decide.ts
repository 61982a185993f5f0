import type { UserRole } from '@medspa/auth';
import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { iso, isoPlusSeconds } from '../shared/time.js';
import { isStaffRole } from '../user/queries.js';
import {
  evolveBreakGlass,
  initialBreakGlassState,
  type ActiveBreakGlass,
  type BreakGlassEvent,
  type BreakGlassState,
} from './break-glass.js';

export type BreakGlassCommand =
  | {
      type: 'RequestBreakGlass';
      grantId: string;
      sessionId: string;
      userId: string;
      tenantId: string;
      /** The requester as the User aggregate knows them now (role, and `canAccessPhi`). */
      requester: { role: UserRole; canAccessPhi: boolean };
      reason: string;
      /** From the tenant's settings. */
      durationMinutes: number;
      at: Date;
    }
  | { type: 'EndBreakGlass'; at: Date }
  /** Sent by the durable timer set for `expiresAt`; early or repeated firings do nothing. */
  | { type: 'ExpireBreakGlass'; at: Date };

/** A reviewer must be able to tell what the emergency was; "emergency" alone is not a reason. */
export const BREAK_GLASS_REASON_MIN_LENGTH = 20;
export const BREAK_GLASS_REASON_MAX_LENGTH = 1000;
export const BREAK_GLASS_MAX_MINUTES = 60;

const expiredEvent = (s: ActiveBreakGlass, at: Date): BreakGlassEvent => ({
  type: 'BreakGlassAccessExpired',
  data: { grantId: s.grantId, expiresAt: new Date(s.expiresAt).toISOString(), at: iso(at) },
});
// Not a type guard: a grant past its expiry is still `active` in state until its timer fires.
const isLiveAt = (s: ActiveBreakGlass, at: Date): boolean => at.getTime() < s.expiresAt;

function decideRequest(
  command: Extract<BreakGlassCommand, { type: 'RequestBreakGlass' }>,
  state: BreakGlassState,
): BreakGlassEvent[] {
  const { requester, at } = command;
  if (!isStaffRole(requester.role)) {
    throw errors.forbidden('BREAK_GLASS_NOT_ALLOWED', 'Break-glass access is for clinic staff only');
  }
  // Emergency access widens what a person can see, so it needs the strongest proof of who they are.
  if (!requester.canAccessPhi) throw errors.forbidden('MFA_REQUIRED', 'Enrol a second factor first');
  const reason = command.reason.trim();
  if (reason.length < BREAK_GLASS_REASON_MIN_LENGTH || reason.length > BREAK_GLASS_REASON_MAX_LENGTH) {
    throw errors.validation('BREAK_GLASS_REASON_INVALID', 'A reason for emergency access is required', {
      violations: [
        {
          field: 'reason',
          message: `must be ${BREAK_GLASS_REASON_MIN_LENGTH} to ${BREAK_GLASS_REASON_MAX_LENGTH} characters`,
        },
      ],
    });
  }
  const minutes = command.durationMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > BREAK_GLASS_MAX_MINUTES) {
    throw errors.validation('BREAK_GLASS_DURATION_INVALID', 'The request is invalid', {
      violations: [{ field: 'durationMinutes', message: `must be 1 to ${BREAK_GLASS_MAX_MINUTES}` }],
    });
  }
  if (state.status === 'active' && isLiveAt(state, at)) {
    throw errors.conflict('BREAK_GLASS_ALREADY_ACTIVE', 'Break-glass access is already active');
  }
  // A grant whose timer has not fired yet is expired first, so the log never shows two at once.
  const closing = state.status === 'active' ? [expiredEvent(state, at)] : [];
  const { grantId, sessionId, userId, tenantId } = command;
  return [
    ...closing,
    {
      type: 'BreakGlassAccessRequested',
      data: { grantId, sessionId, userId, tenantId, role: requester.role, reason, at: iso(at) },
    },
    {
      type: 'BreakGlassAccessGranted',
      data: { grantId, expiresAt: isoPlusSeconds(at, minutes * 60), at: iso(at) },
    },
  ];
}

export function decideBreakGlass(command: BreakGlassCommand, state: BreakGlassState): BreakGlassEvent[] {
  switch (command.type) {
    case 'RequestBreakGlass':
      return decideRequest(command, state);
    case 'EndBreakGlass':
      if (state.status !== 'active') return [];
      if (!isLiveAt(state, command.at)) return [expiredEvent(state, command.at)];
      return [{ type: 'BreakGlassAccessEnded', data: { grantId: state.grantId, at: iso(command.at) } }];
    case 'ExpireBreakGlass':
      if (state.status !== 'active' || isLiveAt(state, command.at)) return [];
      return [expiredEvent(state, command.at)];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The grant to put in an access token's `break_glass` claim at `at`, if one is active. */
export function activeBreakGlass(
  state: BreakGlassState,
  at: Date,
): { reason: string; expiresAt: Date } | undefined {
  return state.status === 'active' && isLiveAt(state, at)
    ? { reason: state.reason, expiresAt: new Date(state.expiresAt) }
    : undefined;
}

/** Emergency access for one session: requested with a reason, granted briefly, ended or expired. */
export const breakGlassDecider: Decider<BreakGlassCommand, BreakGlassEvent, BreakGlassState> = {
  decide: decideBreakGlass,
  evolve: evolveBreakGlass,
  initialState: initialBreakGlassState,
};
