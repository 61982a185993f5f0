import { withTenant, type Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { EventStore } from '@medspa/eventstore';
import {
  formatLocalDate,
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
  const firstDay = parseLocalDate(req.fromDate, 'fromDate');
  const lastDay = parseLocalDate(req.toDate, 'toDate');
  return withTenant(pool, tenantId, async (db) => {
    const resources = await resourcesAt(db, locationId);
    const held = [
      ...resources.providers.map((p) => ({ kind: 'provider' as const, id: p.providerId })),
      ...resources.rooms.map((r) => ({ kind: 'room' as const, id: r.roomId })),
      ...resources.devices.map((d) => ({ kind: 'device' as const, id: d.deviceId })),
    ];
    // A page usually fills within the first days: search a short window first and widen it only
    // while the page is not full, so a busy month's holds are not all read for a page of Monday's
    // slots. The result is the same as one search over the whole range (the search is in start
    // order and stops at the page), down to hasMore, which a window reports only when it holds
    // more than a page.
    for (let windowDays = 2; ; windowDays *= 4) {
      const windowEnd = Math.min(lastDay, firstDay + windowDays - 1);
      const busy = await busyTimes(
        db,
        held,
        zonedDay(zone, firstDay - 1).start,
        zonedDay(zone, windowEnd + 1).end,
      );
      const result = searchAvailability({ ...query, toDate: formatLocalDate(windowEnd), ...resources, busy });
      if (result.hasMore || windowEnd === lastDay) return result;
    }
  });
}
