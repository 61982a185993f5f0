import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { foldEvents } from '@medspa/eventstore';
import { after, isoAfter, T0 } from '../unit-fixtures.js';
import type { BreakGlassEvent } from './break-glass.js';
import { activeBreakGlass, breakGlassDecider, type BreakGlassCommand } from './decide.js';

const spec = deciderSpec(breakGlassDecider);
const REASON = 'Patient anaphylaxis in room 2, need allergy list';
const request = (
  overrides: Partial<Extract<BreakGlassCommand, { type: 'RequestBreakGlass' }>> = {},
): BreakGlassCommand => ({
  type: 'RequestBreakGlass',
  grantId: 'g-1',
  sessionId: 's-1',
  userId: 'u-1',
  tenantId: 't-1',
  requester: { role: 'front_desk', canAccessPhi: true },
  reason: `  ${REASON} `,
  durationMinutes: 60,
  at: T0,
  ...overrides,
});
const requestedData = {
  grantId: 'g-1',
  sessionId: 's-1',
  userId: 'u-1',
  tenantId: 't-1',
  role: 'front_desk',
  reason: REASON,
  at: T0.toISOString(),
} as const;
const requested: BreakGlassEvent = { type: 'BreakGlassAccessRequested', data: requestedData };
const granted: BreakGlassEvent = {
  type: 'BreakGlassAccessGranted',
  data: { grantId: 'g-1', expiresAt: isoAfter(3600), at: T0.toISOString() },
};

describe('Break-glass', () => {
  it('is requested with a reason and granted for 60 minutes', () => {
    spec.given([]).when(request()).then([requested, granted]);
    const state = foldEvents(breakGlassDecider, [requested, granted]);
    expect(activeBreakGlass(state, after(3599))).toEqual({ reason: REASON, expiresAt: after(3600) });
    expect(activeBreakGlass(state, after(3600))).toBeUndefined();
  });

  it('refuses a missing or token reason', () => {
    spec
      .given([])
      .when(request({ reason: '   ' }))
      .thenThrows('BREAK_GLASS_REASON_INVALID');
    spec
      .given([])
      .when(request({ reason: 'emergency' }))
      .thenThrows('BREAK_GLASS_REASON_INVALID');
  });

  it('is for staff with MFA only', () => {
    spec
      .given([])
      .when(request({ requester: { role: 'patient', canAccessPhi: true } }))
      .thenThrows('BREAK_GLASS_NOT_ALLOWED');
    spec
      .given([])
      .when(request({ requester: { role: 'provider', canAccessPhi: false } }))
      .thenThrows('MFA_REQUIRED');
  });

  it('lasts at most 60 minutes', () => {
    spec
      .given([])
      .when(request({ durationMinutes: 240 }))
      .thenThrows('BREAK_GLASS_DURATION_INVALID');
  });

  it('holds one grant at a time per session', () => {
    spec
      .given([requested, granted])
      .when(request({ grantId: 'g-2', at: after(60) }))
      .thenThrows('BREAK_GLASS_ALREADY_ACTIVE');
  });

  it('closes a lapsed grant before opening the next one', () => {
    const expired: BreakGlassEvent = {
      type: 'BreakGlassAccessExpired',
      data: { grantId: 'g-1', expiresAt: isoAfter(3600), at: isoAfter(4000) },
    };
    spec
      .given([requested, granted])
      .when(request({ grantId: 'g-2', at: after(4000) }))
      .then([
        expired,
        { type: 'BreakGlassAccessRequested', data: { ...requestedData, grantId: 'g-2', at: isoAfter(4000) } },
        {
          type: 'BreakGlassAccessGranted',
          data: { grantId: 'g-2', expiresAt: isoAfter(7600), at: isoAfter(4000) },
        },
      ]);
  });

  it('is ended early by the user', () => {
    spec
      .given([requested, granted])
      .when({ type: 'EndBreakGlass', at: after(600) })
      .then([{ type: 'BreakGlassAccessEnded', data: { grantId: 'g-1', at: isoAfter(600) } }]);
    spec.given([]).when({ type: 'EndBreakGlass', at: T0 }).thenNothingHappens();
  });

  it('expires when its timer fires, not before, and only once', () => {
    spec
      .given([requested, granted])
      .when({ type: 'ExpireBreakGlass', at: after(3599) })
      .thenNothingHappens();
    const expired: BreakGlassEvent = {
      type: 'BreakGlassAccessExpired',
      data: { grantId: 'g-1', expiresAt: isoAfter(3600), at: isoAfter(3600) },
    };
    spec
      .given([requested, granted])
      .when({ type: 'ExpireBreakGlass', at: after(3600) })
      .then([expired]);
    spec
      .given([requested, granted, expired])
      .when({ type: 'ExpireBreakGlass', at: after(3700) })
      .thenNothingHappens();
  });
});
