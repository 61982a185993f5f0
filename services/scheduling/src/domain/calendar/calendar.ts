import type { Instant } from '../shared/instant.js';
import type { LocalDate } from '../shared/local-time.js';

// One resource's calendar for one local date. This is how no resource is ever double-booked: a
// booking appends to the appointment stream and to the stream of every resource-day it holds, in
// one transaction, each at the version it read. Two bookings racing for the same resource-day
// append to the same stream at the same version, so one of them conflicts and is decided again
// on the fresh calendar, where its hold now overlaps and is refused with SLOT_TAKEN.

export type ResourceKind = 'provider' | 'room' | 'device';

/** Names the calendar of one resource on one local date (in the resource's calendar zone). */
export interface CalendarDay {
  resourceKind: ResourceKind;
  resourceId: string;
  localDate: LocalDate;
}

/** Time an appointment holds on one calendar day: buffers included, clipped to that day. */
export type CalendarHold = CalendarDay & { start: Instant; end: Instant };

/** The event stream of one resource-day, e.g. `calendar-room-0192…-2026-03-08`. */
export const calendarStreamId = (day: CalendarDay): string =>
  `calendar-${day.resourceKind}-${day.resourceId}-${day.localDate}`;

export type CalendarEvent =
  | { type: 'ResourceTimeHeld'; data: CalendarHold & { appointmentId: string } }
  | { type: 'ResourceTimeReleased'; data: CalendarDay & { appointmentId: string } };

export interface HeldTime {
  appointmentId: string;
  startMs: number;
  endMs: number;
}

export interface CalendarState {
  /** Active holds, sorted by start; by construction no two overlap. */
  holds: readonly HeldTime[];
}

export const initialCalendarState = (): CalendarState => ({ holds: [] });

export function evolveCalendar(state: CalendarState, event: CalendarEvent): CalendarState {
  switch (event.type) {
    case 'ResourceTimeHeld': {
      const { appointmentId, start, end } = event.data;
      const held = { appointmentId, startMs: Date.parse(start), endMs: Date.parse(end) };
      const others = state.holds.filter((h) => h.appointmentId !== appointmentId);
      return { holds: [...others, held].sort((a, b) => a.startMs - b.startMs) };
    }
    case 'ResourceTimeReleased':
      return { holds: state.holds.filter((h) => h.appointmentId !== event.data.appointmentId) };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
