import type { WeeklyRange } from '../shared/weekly-hours.js';

// A clinic location. Its time zone is set once: calendar streams are keyed by local dates in it,
// so changing it would move existing holds to other days. A move is a new location.

export type LocationEvent =
  | {
      type: 'LocationRegistered';
      data: { locationId: string; name: string; timeZone: string; openingHours: WeeklyRange[] };
    }
  | { type: 'OpeningHoursChanged'; data: { locationId: string; openingHours: WeeklyRange[] } }
  | { type: 'LocationDeactivated'; data: { locationId: string } };

export interface LocationProfile {
  locationId: string;
  name: string;
  timeZone: string;
  openingHours: WeeklyRange[];
}

export type LocationState =
  | { status: 'unregistered' }
  | ({ status: 'active' } & LocationProfile)
  | ({ status: 'inactive' } & LocationProfile);

export const initialLocationState = (): LocationState => ({ status: 'unregistered' });

export function evolveLocation(state: LocationState, event: LocationEvent): LocationState {
  switch (event.type) {
    case 'LocationRegistered':
      return { status: 'active', ...event.data };
    case 'OpeningHoursChanged':
      return state.status === 'unregistered' ? state : { ...state, openingHours: event.data.openingHours };
    case 'LocationDeactivated':
      return state.status === 'unregistered' ? state : { ...state, status: 'inactive' };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
