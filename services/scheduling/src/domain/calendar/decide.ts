import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireId } from '../shared/fields.js';
import { parseInstant, toInstant } from '../shared/instant.js';
import { formatLocalDate, parseLocalDate } from '../shared/local-time.js';
import {
  evolveCalendar,
  initialCalendarState,
  type CalendarDay,
  type CalendarEvent,
  type CalendarHold,
  type CalendarState,
} from './calendar.js';

export type CalendarCommand =
  | ({ type: 'HoldResourceTime'; appointmentId: string } & CalendarHold)
  | ({ type: 'ReleaseResourceTime'; appointmentId: string } & CalendarDay);

const KINDS = new Set(['provider', 'room', 'device']);

function requireCalendarDay(c: CalendarDay): CalendarDay {
  if (!KINDS.has(c.resourceKind)) {
    throw errors.validation('INVALID_RESOURCE_KIND', 'resourceKind must be provider, room or device', {
      violations: [{ field: 'resourceKind', message: 'expected provider, room or device' }],
    });
  }
  return {
    resourceKind: c.resourceKind,
    resourceId: requireId(c.resourceId, 'resourceId'),
    localDate: formatLocalDate(parseLocalDate(c.localDate, 'localDate')),
  };
}

export function decideCalendar(command: CalendarCommand, state: CalendarState): CalendarEvent[] {
  switch (command.type) {
    case 'HoldResourceTime': {
      const day = requireCalendarDay(command);
      const appointmentId = requireId(command.appointmentId, 'appointmentId');
      const startMs = parseInstant(command.start, 'start');
      const endMs = parseInstant(command.end, 'end');
      if (endMs <= startMs) {
        throw errors.validation('END_BEFORE_START', 'A hold must end after it starts', {
          violations: [{ field: 'end', message: 'must be after start' }],
        });
      }
      const own = state.holds.find((h) => h.appointmentId === appointmentId);
      if (own) {
        // A retried hold is a no-op; moving one is a release then a new hold, never silent.
        if (own.startMs === startMs && own.endMs === endMs) return [];
        throw errors.precondition(
          'TIME_ALREADY_HELD',
          'This appointment already holds time here; release it first',
        );
      }
      // Whether the hold lies within this calendar's local date is not checked here: holdsFor cuts
      // holds at local midnights, and the overlap check is sound whichever day keeps a hold.
      const clash = state.holds.find((h) => h.startMs < endMs && startMs < h.endMs);
      if (clash) {
        const what = `${day.resourceKind} ${day.resourceId}`;
        throw errors.conflict(
          'SLOT_TAKEN',
          `The ${what} is already held from ${toInstant(clash.startMs)} to ${toInstant(clash.endMs)}`,
          { violations: [{ field: `${day.resourceKind}Id`, message: `${what} is taken at that time` }] },
        );
      }
      return [
        {
          type: 'ResourceTimeHeld',
          data: { ...day, appointmentId, start: toInstant(startMs), end: toInstant(endMs) },
        },
      ];
    }
    case 'ReleaseResourceTime': {
      const day = requireCalendarDay(command);
      const appointmentId = requireId(command.appointmentId, 'appointmentId');
      // Releasing what is not held is a no-op, so a retried cancellation appends nothing twice.
      if (!state.holds.some((h) => h.appointmentId === appointmentId)) return [];
      return [{ type: 'ResourceTimeReleased', data: { ...day, appointmentId } }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The calendar decider: one stream per resource per local date (see calendarStreamId). */
export const calendar: Decider<CalendarCommand, CalendarEvent, CalendarState> = {
  initialState: initialCalendarState,
  evolve: evolveCalendar,
  decide: decideCalendar,
};
