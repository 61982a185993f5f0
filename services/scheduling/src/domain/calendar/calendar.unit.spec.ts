import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from './calendar.js';
import { calendar, type CalendarCommand } from './decide.js';

const spec = deciderSpec(calendar);
const roomDay = { resourceKind: 'room' as const, resourceId: newId(), localDate: '2026-06-01' };
const first = newId();
const second = newId();
const held = (appointmentId: string, start: string, end: string): CalendarEvent => ({
  type: 'ResourceTimeHeld',
  data: { ...roomDay, appointmentId, start, end },
});
const hold = (appointmentId: string, start: string, end: string): CalendarCommand => ({
  type: 'HoldResourceTime',
  ...roomDay,
  appointmentId,
  start,
  end,
});
const tenToEleven = held(first, '2026-06-01T14:00:00.000Z', '2026-06-01T15:00:00.000Z');

describe('resource-day calendar', () => {
  it('holds free time', () => {
    spec
      .given([])
      .when(hold(first, '2026-06-01T14:00:00Z', '2026-06-01T15:00:00Z'))
      .then([tenToEleven]);
  });

  it('refuses time that overlaps a hold, naming the resource', () => {
    spec
      .given([tenToEleven])
      .when(hold(second, '2026-06-01T14:30:00Z', '2026-06-01T15:30:00Z'))
      .thenThrows('SLOT_TAKEN');
    const state = calendar.evolve(calendar.initialState(), tenToEleven);
    let error: unknown;
    try {
      calendar.decide(hold(second, '2026-06-01T13:30:00Z', '2026-06-01T16:00:00Z'), state);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'conflict', reason: 'SLOT_TAKEN' });
    expect(String((error as Error).message)).toContain(`room ${roomDay.resourceId}`);
    expect((error as { violations: unknown[] }).violations).toEqual([
      { field: 'roomId', message: `room ${roomDay.resourceId} is taken at that time` },
    ]);
  });

  it('allows back-to-back holds', () => {
    spec
      .given([tenToEleven])
      .when(hold(second, '2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z'))
      .then([held(second, '2026-06-01T15:00:00.000Z', '2026-06-01T16:00:00.000Z')]);
  });

  it('treats a retried hold as done, and refuses to move a hold silently', () => {
    spec
      .given([tenToEleven])
      .when(hold(first, '2026-06-01T14:00:00Z', '2026-06-01T15:00:00Z'))
      .thenNothingHappens();
    spec
      .given([tenToEleven])
      .when(hold(first, '2026-06-01T16:00:00Z', '2026-06-01T17:00:00Z'))
      .thenThrows('TIME_ALREADY_HELD');
  });

  it('releases held time, which can then be held again; releasing twice does nothing', () => {
    const release: CalendarCommand = { type: 'ReleaseResourceTime', ...roomDay, appointmentId: first };
    const released: CalendarEvent = {
      type: 'ResourceTimeReleased',
      data: { ...roomDay, appointmentId: first },
    };
    spec.given([tenToEleven]).when(release).then([released]);
    spec.given([tenToEleven, released]).when(release).thenNothingHappens();
    spec
      .given([tenToEleven, released])
      .when(hold(second, '2026-06-01T14:30:00Z', '2026-06-01T15:30:00Z'))
      .then([held(second, '2026-06-01T14:30:00.000Z', '2026-06-01T15:30:00.000Z')]);
  });

  it('refuses bad input', () => {
    spec
      .given([])
      .when(hold(first, '2026-06-01T15:00:00Z', '2026-06-01T14:00:00Z'))
      .thenThrows('END_BEFORE_START');
    spec
      .given([])
      .when(hold(first, 'noon', '2026-06-01T14:00:00Z'))
      .thenThrows('INVALID_INSTANT');
    spec
      .given([])
      .when({ ...hold(first, '2026-06-01T14:00:00Z', '2026-06-01T15:00:00Z'), localDate: '2026-02-30' })
      .thenThrows('INVALID_LOCAL_DATE');
    spec
      .given([])
      .when(hold('not-an-id', '2026-06-01T14:00:00Z', '2026-06-01T15:00:00Z'))
      .thenThrows('INVALID_ID');
  });
});
