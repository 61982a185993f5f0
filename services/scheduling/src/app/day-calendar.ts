import { withTenant, type Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { EventStore } from '@medspa/eventstore';
import { parseLocalDate, zonedDay, type ResourceKind } from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { appointmentsAt, type ListedAppointment } from '../projections/appointments/queries.js';
import { resourcesAt } from '../projections/catalogue/queries.js';
import { loadStream, STREAMS, streamIdOf } from './streams.js';

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
  const all = [...new Set([...ids, ...appointments.flatMap((a) => idOf(a) ?? [])])].sort();
  return all.map((resourceId) => ({
    resourceKind: kind,
    resourceId,
    appointments: appointments.filter((a) => idOf(a) === resourceId),
  }));
}

/** The front desk's day at one location: providers × rooms, from the read models. */
export async function dayCalendar(
  store: EventStore,
  pool: Pool,
  tenantId: string,
  req: { locationId: string; date: string },
): Promise<DayCalendar> {
  const locationId = requireId(req.locationId, 'locationId');
  const day = parseLocalDate(req.date, 'date');
  const { state } = await loadStream(
    store,
    streamIdOf('location', locationId),
    STREAMS.location.decider,
    tenantId,
    'LOCATION_NOT_FOUND',
  );
  if (state.status === 'unregistered') throw errors.notFound('LOCATION_NOT_FOUND', 'No such location');
  const span = zonedDay(state.timeZone, day);
  const { resources, appointments } = await withTenant(pool, tenantId, async (db) => ({
    resources: await resourcesAt(db, locationId),
    appointments: await appointmentsAt(db, locationId, span.start, span.end),
  }));
  return {
    locationId,
    date: span.date,
    timeZone: state.timeZone,
    providers: columns(
      'provider',
      resources.providers.map((p) => p.providerId),
      appointments,
      (a) => a.state.providerId,
    ),
    rooms: columns(
      'room',
      resources.rooms.map((r) => r.roomId),
      appointments,
      (a) => a.state.roomId,
    ),
  };
}
