import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireId, requireLabel } from '../shared/fields.js';
import { requireTimeZone } from '../shared/time-zone.js';
import { requireWeeklyHours, type WeeklyRange } from '../shared/weekly-hours.js';
import { evolveLocation, initialLocationState, type LocationEvent, type LocationState } from './location.js';

export type LocationCommand =
  | {
      type: 'RegisterLocation';
      locationId: string;
      name: string;
      /** IANA zone, e.g. America/New_York. */
      timeZone: string;
      openingHours: WeeklyRange[];
    }
  | { type: 'ChangeOpeningHours'; locationId: string; openingHours: WeeklyRange[] }
  | { type: 'DeactivateLocation'; locationId: string };

const sameHours = (a: WeeklyRange[], b: WeeklyRange[]) => JSON.stringify(a) === JSON.stringify(b);

export function decideLocation(command: LocationCommand, state: LocationState): LocationEvent[] {
  switch (command.type) {
    case 'RegisterLocation': {
      const data = {
        locationId: requireId(command.locationId, 'locationId'),
        name: requireLabel(command.name, 'name'),
        timeZone: requireTimeZone(command.timeZone, 'timeZone'),
        openingHours: requireWeeklyHours(command.openingHours, 'openingHours'),
      };
      if (state.status !== 'unregistered') {
        throw errors.conflict('LOCATION_ALREADY_EXISTS', 'A location with this id already exists');
      }
      return [{ type: 'LocationRegistered', data }];
    }
    case 'ChangeOpeningHours': {
      const openingHours = requireWeeklyHours(command.openingHours, 'openingHours');
      const current = requireActive(state);
      if (sameHours(current.openingHours, openingHours)) return [];
      return [{ type: 'OpeningHoursChanged', data: { locationId: current.locationId, openingHours } }];
    }
    case 'DeactivateLocation':
      if (state.status === 'inactive') return [];
      return [{ type: 'LocationDeactivated', data: { locationId: requireActive(state).locationId } }];
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

function requireActive(state: LocationState) {
  switch (state.status) {
    case 'unregistered':
      throw errors.notFound('LOCATION_NOT_FOUND', 'No such location');
    case 'inactive':
      throw errors.precondition('LOCATION_INACTIVE', 'The location is deactivated');
    case 'active':
      return state;
    default: {
      const _exhaustive: never = state;
      throw errors.internal('UNREACHABLE', 'Unknown location state');
    }
  }
}

/** The location decider: one stream per location. */
export const location: Decider<LocationCommand, LocationEvent, LocationState> = {
  initialState: initialLocationState,
  evolve: evolveLocation,
  decide: decideLocation,
};
