import { newId } from '@medspa/eventstore';
import { deciderSpec } from '@medspa/testing';
import { describe, it } from 'vitest';
import { location } from './decide.js';
import type { LocationEvent } from './location.js';

const spec = deciderSpec(location);
const locationId = newId();
const weekdays = ([1, 2, 3, 4, 5] as const).map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));
const register = {
  type: 'RegisterLocation' as const,
  locationId,
  name: 'SoHo',
  timeZone: 'America/New_York',
  openingHours: weekdays,
};
const registered: LocationEvent = {
  type: 'LocationRegistered',
  data: { locationId, name: 'SoHo', timeZone: 'America/New_York', openingHours: weekdays },
};

describe('location', () => {
  it('is registered with a validated IANA zone and weekly opening hours', () => {
    spec.given([]).when(register).then([registered]);
    spec
      .given([])
      .when({ ...register, timeZone: 'Eastern' })
      .thenThrows('INVALID_TIME_ZONE');
    spec
      .given([])
      .when({ ...register, timeZone: '-05:00' })
      .thenThrows('INVALID_TIME_ZONE');
    spec.given([registered]).when(register).thenThrows('LOCATION_ALREADY_EXISTS');
  });

  it('refuses malformed opening hours', () => {
    const bad = (openingHours: unknown) =>
      spec.given([]).when({ ...register, openingHours: openingHours as never });
    bad([{ weekday: 1, start: '18:00', end: '09:00' }]).thenThrows('END_BEFORE_START');
    bad([{ weekday: 8, start: '09:00', end: '18:00' }]).thenThrows('INVALID_WEEKDAY');
    bad([{ weekday: 1, start: '9am', end: '18:00' }]).thenThrows('INVALID_LOCAL_TIME');
    bad([
      { weekday: 1, start: '09:00', end: '13:00' },
      { weekday: 1, start: '12:00', end: '18:00' },
    ]).thenThrows('OVERLAPPING_HOURS');
  });

  it('changes opening hours, and does nothing when they are the same', () => {
    const saturday = [...weekdays, { weekday: 6 as const, start: '10:00', end: '16:00' }];
    spec
      .given([registered])
      .when({ type: 'ChangeOpeningHours', locationId, openingHours: saturday })
      .then([{ type: 'OpeningHoursChanged', data: { locationId, openingHours: saturday } }]);
    spec
      .given([registered])
      .when({ type: 'ChangeOpeningHours', locationId, openingHours: weekdays })
      .thenNothingHappens();
    spec
      .given([])
      .when({ type: 'ChangeOpeningHours', locationId, openingHours: weekdays })
      .thenThrows('LOCATION_NOT_FOUND');
  });

  it('is deactivated once', () => {
    const deactivated: LocationEvent = { type: 'LocationDeactivated', data: { locationId } };
    spec.given([registered]).when({ type: 'DeactivateLocation', locationId }).then([deactivated]);
    spec
      .given([registered, deactivated])
      .when({ type: 'DeactivateLocation', locationId })
      .thenNothingHappens();
    spec
      .given([registered, deactivated])
      .when({ type: 'ChangeOpeningHours', locationId, openingHours: [] })
      .thenThrows('LOCATION_INACTIVE');
  });
});
