import { describe, expect, it } from 'vitest';
import { deciderSpec } from '@medspa/testing';
import { foldEvents } from '@medspa/eventstore';
import { after, isoAfter, T0 } from '../unit-fixtures.js';
import { sessionDecider } from './decide.js';
import { accessTokenTtlSeconds, isSessionUsable } from './queries.js';
import { at, refresh, rotated, started, token } from './session-fixtures.js';

const spec = deciderSpec(sessionDecider);
describe('Session activity, logout and revocation', () => {
  it('records activity at most once a minute', () => {
    spec
      .given([started])
      .when({ type: 'RecordSessionActivity', at: after(30) })
      .thenNothingHappens();
    spec
      .given([started])
      .when({ type: 'RecordSessionActivity', at: after(60) })
      .then([{ type: 'SessionActivityRecorded', data: { at: isoAfter(60) } }]);
  });

  it('does not revive an idle session with activity', () => {
    spec
      .given([started])
      .when({ type: 'RecordSessionActivity', at: after(1000) })
      .then([{ type: 'SessionIdleTimedOut', data: { lastActivityAt: at, at: isoAfter(1000) } }]);
  });

  it('logs out and revokes, idempotently', () => {
    spec
      .given([started])
      .when({ type: 'Logout', at: after(5) })
      .then([{ type: 'SessionLoggedOut', data: { at: isoAfter(5) } }]);
    spec
      .given([started, { type: 'SessionLoggedOut', data: { at } }])
      .when({ type: 'Logout', at: T0 })
      .thenNothingHappens();
    spec
      .given([started])
      .when({ type: 'RevokeSession', reason: 'user_disabled', at: after(5) })
      .then([{ type: 'SessionRevoked', data: { reason: 'user_disabled', at: isoAfter(5) } }]);
    spec
      .given([started, { type: 'SessionLoggedOut', data: { at } }])
      .when({ type: 'RevokeSession', reason: 'admin', at: T0 })
      .thenNothingHappens();
    spec
      .given([started, { type: 'SessionLoggedOut', data: { at } }])
      .when(refresh(token(1), token(2), 10))
      .thenThrows('SESSION_ENDED');
  });

  it('caps access tokens at 15 minutes and at the session end', () => {
    const state = foldEvents(sessionDecider, [started]);
    expect(accessTokenTtlSeconds(state, T0)).toBe(900);
    const late = foldEvents(sessionDecider, [started, rotated(1, 2, 86_000)]);
    expect(accessTokenTtlSeconds(late, after(86_100))).toBe(300);
    expect(accessTokenTtlSeconds(state, after(901))).toBe(0);
    expect(
      isSessionUsable(foldEvents(sessionDecider, [started, { type: 'SessionLoggedOut', data: { at } }]), T0),
    ).toBe(false);
  });
});
