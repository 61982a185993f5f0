import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, expect, it } from 'vitest';
import { parseLocalDate } from '../shared/local-time.js';
import { providerSchedule, type ProviderScheduleCommand } from './decide.js';
import { dutySpans } from './duty.js';
import type { ProviderScheduleEvent } from './provider-schedule.js';

const spec = deciderSpec(providerSchedule);
const providerId = newId();
const locationId = newId();
const timeOffId = newId();
const hours = [{ weekday: 1 as const, start: '09:00', end: '17:00' }];
const breaks = [{ weekday: 1 as const, start: '12:00', end: '12:30' }];
const set: ProviderScheduleCommand = { type: 'SetWorkingHours', providerId, locationId, hours, breaks };
const wasSet: ProviderScheduleEvent = {
  type: 'WorkingHoursSet',
  data: { providerId, locationId, hours, breaks },
};
const dayOff = { kind: 'dates' as const, firstDate: '2026-06-01', lastDate: '2026-06-01' };

describe('provider schedule', () => {
  it('sets weekly working hours and breaks per location', () => {
    spec.given([]).when(set).then([wasSet]);
    spec.given([wasSet]).when(set).thenNothingHappens();
    spec
      .given([])
      .when({ ...set, breaks: [{ weekday: 2, start: '12:00', end: '12:30' }] })
      .thenThrows('BREAK_OUTSIDE_WORKING_HOURS');
    spec
      .given([wasSet])
      .when({ type: 'ClearWorkingHours', providerId, locationId })
      .then([{ type: 'WorkingHoursCleared', data: { providerId, locationId } }]);
  });

  it('schedules and cancels time off, as instants or whole local dates', () => {
    const schedule: ProviderScheduleCommand = {
      type: 'ScheduleTimeOff',
      providerId,
      timeOffId,
      period: dayOff,
    };
    const scheduled: ProviderScheduleEvent = {
      type: 'TimeOffScheduled',
      data: { providerId, timeOffId, period: dayOff },
    };
    spec.given([]).when(schedule).then([scheduled]);
    spec.given([scheduled]).when(schedule).thenNothingHappens();
    spec
      .given([])
      .when({
        ...schedule,
        period: { kind: 'instants', start: '2026-06-01T18:00:00Z', end: '2026-06-01T14:00:00Z' },
      })
      .thenThrows('END_BEFORE_START');
    spec
      .given([])
      .when({ ...schedule, period: { ...dayOff, lastDate: '2026-05-31' } })
      .thenThrows('END_BEFORE_START');
    const cancelled: ProviderScheduleEvent = { type: 'TimeOffCancelled', data: { providerId, timeOffId } };
    spec.given([scheduled]).when({ type: 'CancelTimeOff', providerId, timeOffId }).then([cancelled]);
    spec
      .given([scheduled, cancelled])
      .when({ type: 'CancelTimeOff', providerId, timeOffId })
      .thenNothingHappens();
    spec.given([]).when({ type: 'CancelTimeOff', providerId, timeOffId }).thenThrows('TIME_OFF_NOT_FOUND');
    spec.given([scheduled, cancelled]).when(schedule).thenThrows('TIME_OFF_ALREADY_EXISTS');
  });

  it('puts a provider on duty for working hours minus breaks minus time off', () => {
    const zone = 'America/New_York';
    const monday = parseLocalDate('2026-06-01', 'd');
    const duty = dutySpans(zone, { hours, breaks }, [], monday, monday + 7);
    expect(duty.map((s) => [new Date(s.start).toISOString(), new Date(s.end).toISOString()])).toEqual([
      ['2026-06-01T13:00:00.000Z', '2026-06-01T16:00:00.000Z'],
      ['2026-06-01T16:30:00.000Z', '2026-06-01T21:00:00.000Z'],
      ['2026-06-08T13:00:00.000Z', '2026-06-08T16:00:00.000Z'],
      ['2026-06-08T16:30:00.000Z', '2026-06-08T21:00:00.000Z'],
    ]);
    expect(dutySpans(zone, { hours, breaks }, [{ timeOffId, period: dayOff }], monday, monday + 6)).toEqual(
      [],
    );
  });
});
