import { withTenant, type Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import type { EventStore } from '@medspa/eventstore';
import {
  formatLocalDate,
  parseLocalDate,
  searchAvailability,
  zonedDay,
  type AvailabilityResult,
  type BusyTime,
  type LocationState,
  type TreatmentState,
} from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { busyTimes } from '../projections/calendar-holds/queries.js';
import { resourcesAt } from '../projections/catalogue/queries.js';
import { foldStream, STREAMS, streamIdOf } from './streams.js';

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

/** Days searched before any widening: most pages fill within them. */
const FIRST_WINDOW_DAYS = 2;

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
  // Both streams in one query.
  const streams = {
    location: streamIdOf('location', locationId),
    treatment: streamIdOf('treatment', treatmentId),
  };
  const read = await store.readStreams([streams.location, streams.treatment]);
  const location = foldStream(
    read.get(streams.location) ?? [],
    STREAMS.location.decider,
    tenantId,
    'LOCATION_NOT_FOUND',
  );
  const treatment = foldStream(
    read.get(streams.treatment) ?? [],
    STREAMS.treatment.decider,
    tenantId,
    'TREATMENT_NOT_FOUND',
  );
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
    // more than a page. Each widening reads only the holds of the days it adds (a hold reaching
    // across the seam may come twice; the search merges overlapping holds), and is sized from the
    // slots per day found so far, so a busy clinic needs two reads, not a run of ever larger ones.
    const busy: BusyTime[] = [];
    let readUpTo = firstDay - 1; // holds are read for [firstDay - 1, readUpTo + 1]
    let windowDays = FIRST_WINDOW_DAYS;
    for (;;) {
      const windowEnd = Math.min(lastDay, firstDay + windowDays - 1);
      const from =
        readUpTo < firstDay ? zonedDay(zone, firstDay - 1).start : zonedDay(zone, readUpTo + 1).end;
      busy.push(...(await busyTimes(db, held, from, zonedDay(zone, windowEnd + 1).end)));
      readUpTo = windowEnd;
      const result = searchAvailability({ ...query, toDate: formatLocalDate(windowEnd), ...resources, busy });
      if (result.hasMore || windowEnd === lastDay) return result;
      const perDay = result.slots.length / windowDays;
      const needed = perDay > 0 ? Math.ceil(((query.pageSize + 1) / perDay) * 1.25) : windowDays * 4;
      windowDays = Math.max(windowDays * 2, needed);
    }
  });
}
