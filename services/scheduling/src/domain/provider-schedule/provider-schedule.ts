import type { Instant } from '../shared/instant.js';
import type { LocalDate } from '../shared/local-time.js';
import type { WeeklyRange } from '../shared/weekly-hours.js';

// When a provider can be booked: weekly working hours and breaks per location (wall-clock time of
// that location), and one-off time off. Kept apart from the provider's credentials because it
// changes often and is read on every availability search.

/** A provider's week at one location. Breaks must fall within working hours. */
export interface WeeklySchedule {
  hours: WeeklyRange[];
  breaks: WeeklyRange[];
}

/**
 * Time off either between two instants (a morning off, a conference) or as whole local days,
 * which follow the wall clock of the location being scheduled.
 */
export type TimeOffPeriod =
  | { kind: 'instants'; start: Instant; end: Instant }
  | { kind: 'dates'; firstDate: LocalDate; lastDate: LocalDate };

export interface TimeOff {
  timeOffId: string;
  period: TimeOffPeriod;
}

export type ProviderScheduleEvent =
  | { type: 'WorkingHoursSet'; data: { providerId: string; locationId: string } & WeeklySchedule }
  | { type: 'WorkingHoursCleared'; data: { providerId: string; locationId: string } }
  | { type: 'TimeOffScheduled'; data: { providerId: string } & TimeOff }
  | { type: 'TimeOffCancelled'; data: { providerId: string; timeOffId: string } };

export interface ProviderScheduleState {
  /** Weekly schedules by location id. */
  locations: Record<string, WeeklySchedule>;
  timeOff: TimeOff[];
  /** Ids of cancelled time off, so a repeated cancel is a no-op rather than an error. */
  cancelledTimeOffIds: string[];
}

export const initialProviderScheduleState = (): ProviderScheduleState => ({
  locations: {},
  timeOff: [],
  cancelledTimeOffIds: [],
});

export function evolveProviderSchedule(
  state: ProviderScheduleState,
  event: ProviderScheduleEvent,
): ProviderScheduleState {
  switch (event.type) {
    case 'WorkingHoursSet': {
      const { locationId, hours, breaks } = event.data;
      return { ...state, locations: { ...state.locations, [locationId]: { hours, breaks } } };
    }
    case 'WorkingHoursCleared': {
      const { [event.data.locationId]: _cleared, ...rest } = state.locations;
      return { ...state, locations: rest };
    }
    case 'TimeOffScheduled':
      return {
        ...state,
        timeOff: [...state.timeOff, { timeOffId: event.data.timeOffId, period: event.data.period }],
      };
    case 'TimeOffCancelled':
      return {
        ...state,
        timeOff: state.timeOff.filter((t) => t.timeOffId !== event.data.timeOffId),
        cancelledTimeOffIds: [...state.cancelledTimeOffIds, event.data.timeOffId],
      };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
