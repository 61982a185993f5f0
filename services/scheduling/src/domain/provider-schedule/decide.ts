import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireId } from '../shared/fields.js';
import { parseInstant, toInstant } from '../shared/instant.js';
import { formatLocalDate, parseLocalDate } from '../shared/local-time.js';
import { compileWeeklyHours, requireWeeklyHours, type WeeklyRange } from '../shared/weekly-hours.js';
import {
  evolveProviderSchedule,
  initialProviderScheduleState,
  type ProviderScheduleEvent,
  type ProviderScheduleState,
  type TimeOffPeriod,
} from './provider-schedule.js';

export type ProviderScheduleCommand =
  | {
      type: 'SetWorkingHours';
      providerId: string;
      locationId: string;
      hours: WeeklyRange[];
      breaks: WeeklyRange[];
    }
  | { type: 'ClearWorkingHours'; providerId: string; locationId: string }
  | { type: 'ScheduleTimeOff'; providerId: string; timeOffId: string; period: TimeOffPeriod }
  | { type: 'CancelTimeOff'; providerId: string; timeOffId: string };

const endBeforeStart = (field: string) =>
  errors.validation('END_BEFORE_START', 'Time off ends before it starts', {
    violations: [{ field, message: 'must not be before the start' }],
  });

function requirePeriod(period: TimeOffPeriod): TimeOffPeriod {
  switch (period?.kind) {
    case 'instants': {
      const start = parseInstant(period.start, 'period.start');
      const end = parseInstant(period.end, 'period.end');
      if (end <= start) throw endBeforeStart('period.end');
      return { kind: 'instants', start: toInstant(start), end: toInstant(end) };
    }
    case 'dates': {
      const first = parseLocalDate(period.firstDate, 'period.firstDate');
      const last = parseLocalDate(period.lastDate, 'period.lastDate');
      if (last < first) throw endBeforeStart('period.lastDate');
      return { kind: 'dates', firstDate: formatLocalDate(first), lastDate: formatLocalDate(last) };
    }
    default:
      throw errors.validation('INVALID_TIME_OFF', 'Time off is either instants or dates', {
        violations: [{ field: 'period.kind', message: "expected 'instants' or 'dates'" }],
      });
  }
}

/** Every break must sit inside a working range of the same weekday. */
function requireBreaksWithinHours(hours: WeeklyRange[], breaks: WeeklyRange[]): void {
  const working = compileWeeklyHours(hours);
  const lone = compileWeeklyHours(breaks).findIndex((ranges, weekday) =>
    ranges.some(([from, to]) => !(working[weekday] ?? []).some(([a, b]) => a <= from && to <= b)),
  );
  if (lone !== -1) {
    throw errors.validation(
      'BREAK_OUTSIDE_WORKING_HOURS',
      `A break on weekday ${lone} is outside working hours`,
      {
        violations: [{ field: 'breaks', message: `weekday ${lone}: not within a working range` }],
      },
    );
  }
}

export function decideProviderSchedule(
  command: ProviderScheduleCommand,
  state: ProviderScheduleState,
): ProviderScheduleEvent[] {
  switch (command.type) {
    case 'SetWorkingHours': {
      const providerId = requireId(command.providerId, 'providerId');
      const locationId = requireId(command.locationId, 'locationId');
      const hours = requireWeeklyHours(command.hours, 'hours');
      const breaks = requireWeeklyHours(command.breaks, 'breaks');
      requireBreaksWithinHours(hours, breaks);
      const current = state.locations[locationId];
      if (current && JSON.stringify(current) === JSON.stringify({ hours, breaks })) return [];
      return [{ type: 'WorkingHoursSet', data: { providerId, locationId, hours, breaks } }];
    }
    case 'ClearWorkingHours': {
      const providerId = requireId(command.providerId, 'providerId');
      const locationId = requireId(command.locationId, 'locationId');
      if (!state.locations[locationId]) return [];
      return [{ type: 'WorkingHoursCleared', data: { providerId, locationId } }];
    }
    case 'ScheduleTimeOff': {
      const providerId = requireId(command.providerId, 'providerId');
      const timeOffId = requireId(command.timeOffId, 'timeOffId');
      const period = requirePeriod(command.period);
      const existing = state.timeOff.find((t) => t.timeOffId === timeOffId);
      if (existing && JSON.stringify(existing.period) === JSON.stringify(period)) return [];
      if (existing || state.cancelledTimeOffIds.includes(timeOffId)) {
        throw errors.conflict('TIME_OFF_ALREADY_EXISTS', 'Time off with this id already exists');
      }
      return [{ type: 'TimeOffScheduled', data: { providerId, timeOffId, period } }];
    }
    case 'CancelTimeOff': {
      const providerId = requireId(command.providerId, 'providerId');
      const timeOffId = requireId(command.timeOffId, 'timeOffId');
      if (state.cancelledTimeOffIds.includes(timeOffId)) return [];
      if (!state.timeOff.some((t) => t.timeOffId === timeOffId)) {
        throw errors.notFound('TIME_OFF_NOT_FOUND', 'No such time off');
      }
      return [{ type: 'TimeOffCancelled', data: { providerId, timeOffId } }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The provider schedule decider: one stream per provider. */
export const providerSchedule: Decider<
  ProviderScheduleCommand,
  ProviderScheduleEvent,
  ProviderScheduleState
> = {
  initialState: initialProviderScheduleState,
  evolve: evolveProviderSchedule,
  decide: decideProviderSchedule,
};
