import type { Pool } from '@medspa/db';
import { parseLocalDate, zonedDay, type ResourceKind } from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import {
  appointmentsAtJson,
  listed,
  type ListedAppointment,
  type Row,
} from '../projections/appointments/queries.js';
import { calendarColumnIdsJson } from '../projections/catalogue/queries.js';
import type { LocationZones } from './calendar/location-zones.js';
import { readInTenant, type PreparedRead } from './calendar/tenant-read.js';

export interface CalendarColumn {
  resourceKind: ResourceKind;
  resourceId: string;
  appointments: ListedAppointment[];
}

export interface DayCalendar {
  locationId: string;
  date: string;
  timeZone: string;
  providers: CalendarColumn[];
  rooms: CalendarColumn[];
}

/** One column per resource: those of the location, plus any that hold an appointment that day. */
function columns(
  kind: ResourceKind,
  ids: readonly string[],
  appointments: readonly ListedAppointment[],
  idOf: (a: ListedAppointment) => string | null,
): CalendarColumn[] {
  const byId = new Map<string, ListedAppointment[]>(ids.map((id) => [id, []]));
  for (const a of appointments) {
    const id = idOf(a);
    if (id === null) continue;
    const list = byId.get(id);
    if (list === undefined) byId.set(id, [a]);
    else list.push(a);
  }
  return [...byId.keys()].sort().map((resourceId) => ({
    resourceKind: kind,
    resourceId,
    appointments: byId.get(resourceId) ?? [],
  }));
}

// Columns and appointments of one day in one statement: $1 tenant, $2 location, [$3, $4) the day.
const ids = calendarColumnIdsJson('$1', '$2');
const DAY_READ: PreparedRead = {
  name: 'scheduling_day_calendar',
  types: ['uuid', 'uuid', 'timestamptz', 'timestamptz'],
  sql: `SELECT (${ids.providerIds}) AS provider_ids, (${ids.roomIds}) AS room_ids,
               (${appointmentsAtJson('$1', '$2', '$3', '$4')}) AS appointments`,
};

interface DayRow {
  provider_ids: string[];
  room_ids: string[];
  appointments: Row[];
}

/**
 * The front desk's day at one location: providers × rooms, from the read models. The location's
 * zone comes from `zones` (set once per location); columns and appointments come in one round trip.
 */
export async function dayCalendar(
  zones: LocationZones,
  pool: Pool,
  tenantId: string,
  req: { locationId: string; date: string },
): Promise<DayCalendar> {
  const locationId = requireId(req.locationId, 'locationId');
  const day = parseLocalDate(req.date, 'date');
  const timeZone = await zones.zoneOf(tenantId, locationId);
  const span = zonedDay(timeZone, day);
  const [row] = await readInTenant<DayRow>(pool, tenantId, DAY_READ, [
    tenantId,
    locationId,
    new Date(span.start),
    new Date(span.end),
  ]);
  const appointments = listed(row?.appointments ?? []);
  return {
    locationId,
    date: span.date,
    timeZone,
    providers: columns('provider', row?.provider_ids ?? [], appointments, (a) => a.state.providerId),
    rooms: columns('room', row?.room_ids ?? [], appointments, (a) => a.state.roomId),
  };
}
