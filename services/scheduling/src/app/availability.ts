import { withTenant, type Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { EventStore } from '@medspa/eventstore';
import {
  parseLocalDate,
  searchAvailability,
  zonedDay,
  type AvailabilityResult,
  type LocationState,
  type TreatmentState,
} from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { busyTimes } from '../projections/calendar-holds/queries.js';
import { resourcesAt } from '../projections/catalogue/queries.js';
import { loadStream, STREAMS, streamIdOf } from './streams.js';

export interface AvailabilityRequest {
  locationId: string;
  treatmentId: string;
  fromDate: string;
  toDate: string;
  providerId: string | null;
  granularityMinutes: number;
  pageSize: number;
  now: string;
}

type Active<S> = Exclude<S, { status: 'unregistered' | 'unknown' }>;

function requireOpen(state: LocationState): Active<LocationState> {
  if (state.status === 'unregistered') throw errors.notFound('LOCATION_NOT_FOUND', 'No such location');
  if (state.status === 'inactive') throw errors.precondition('LOCATION_INACTIVE', 'The location is closed');
  return state;
}

function requireOffered(state: TreatmentState): Active<TreatmentState> {
  if (state.status === 'unknown') throw errors.notFound('TREATMENT_NOT_FOUND', 'No such treatment');
  if (state.status === 'discontinued') {
    throw errors.precondition('TREATMENT_DISCONTINUED', 'The treatment is no longer offered');
  }
  return state;
}

/**
 * Bookable slots: the location and treatment from their streams, then two indexed reads of the
 * read models (the location's resources, their holds over the searched days) and the pure search.
 * Holds committed after the projection last caught up may still show as free; booking is where
 * that is settled (the calendar streams refuse an overlap).
 */
export async function findAvailability(
  store: EventStore,
  pool: Pool,
  tenantId: string,
  req: AvailabilityRequest,
): Promise<AvailabilityResult> {
  const locationId = requireId(req.locationId, 'locationId');
  const treatmentId = requireId(req.treatmentId, 'treatmentId');
  const [location, treatment] = await Promise.all([
    loadStream(
      store,
      streamIdOf('location', locationId),
      STREAMS.location.decider,
      tenantId,
      'LOCATION_NOT_FOUND',
    ),
    loadStream(
      store,
      streamIdOf('treatment', treatmentId),
      STREAMS.treatment.decider,
      tenantId,
      'TREATMENT_NOT_FOUND',
    ),
  ]);
  const query = {
    location: requireOpen(location.state),
    treatment: requireOffered(treatment.state),
    fromDate: req.fromDate,
    toDate: req.toDate,
    providerId: req.providerId,
    granularityMinutes: req.granularityMinutes,
    pageSize: req.pageSize,
    now: req.now,
  };
  // The query's own checks (range, dates, granularity) first, on an empty clinic: bad input
  // reads nothing more.
  searchAvailability({ ...query, providers: [], rooms: [], devices: [], busy: [] });
  const zone = query.location.timeZone;
  const fromMs = zonedDay(zone, parseLocalDate(req.fromDate, 'fromDate') - 1).start;
  const toMs = zonedDay(zone, parseLocalDate(req.toDate, 'toDate') + 1).end;
  const { resources, busy } = await withTenant(pool, tenantId, async (db) => {
    const found = await resourcesAt(db, locationId);
    const held = await busyTimes(
      db,
      [
        ...found.providers.map((p) => ({ kind: 'provider' as const, id: p.providerId })),
        ...found.rooms.map((r) => ({ kind: 'room' as const, id: r.roomId })),
        ...found.devices.map((d) => ({ kind: 'device' as const, id: d.deviceId })),
      ],
      fromMs,
      toMs,
    );
    return { resources: found, busy: held };
  });
  return searchAvailability({ ...query, ...resources, busy });
}
