import { withTenant, type Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import { dutySpans, formatLocalDate, MAX_SEARCH_DAYS, parseLocalDate, zonedDay } from '../domain/index.js';
import { requireId } from '../domain/shared/fields.js';
import { resourcesAt } from '../projections/catalogue/queries.js';
import { bookedDays } from '../projections/utilisation/queries.js';
import type { LocationZones } from './calendar/location-zones.js';

export interface ProviderDay {
  providerId: string;
  date: string;
  bookedMinutes: number;
  dutyMinutes: number;
  appointments: number;
  noShows: number;
  /** booked / duty in basis points; 0 when off duty. */
  utilisationBp: number;
}

const minutesWithin = (spans: readonly { start: number; end: number }[], start: number, end: number) =>
  spans.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, end) - Math.max(s.start, start)), 0) / 60_000;

/**
 * Utilisation per provider and local day at a location: booked treatment minutes (the
 * `utilisation` read model) against duty minutes (working hours minus breaks and time off, from
 * the catalogue read model), for every provider with hours there or bookings that day.
 */
export async function providerUtilisation(
  zones: LocationZones,
  pool: Pool,
  tenantId: string,
  req: { locationId: string; fromDate: string; toDate: string; providerId: string | null },
): Promise<ProviderDay[]> {
  const locationId = requireId(req.locationId, 'locationId');
  const providerId = req.providerId === null ? null : requireId(req.providerId, 'providerId');
  const first = parseLocalDate(req.fromDate, 'fromDate');
  const last = parseLocalDate(req.toDate, 'toDate');
  if (last < first || last - first + 1 > MAX_SEARCH_DAYS) {
    throw errors.validation('INVALID_DATE_RANGE', `At most ${MAX_SEARCH_DAYS} days, from before to`, {
      violations: [{ field: 'toDate', message: 'range too long or reversed' }],
    });
  }
  const zone = await zones.zoneOf(tenantId, locationId);
  const { resources, booked } = await withTenant(pool, tenantId, async (db) => ({
    resources: await resourcesAt(db, locationId),
    booked: await bookedDays(db, {
      locationId,
      fromDate: formatLocalDate(first),
      toDate: formatLocalDate(last),
      providerId,
    }),
  }));
  const days = new Map<string, ProviderDay>();
  const dayOf = (pid: string, date: string): ProviderDay => {
    const key = `${pid}|${date}`;
    let d = days.get(key);
    if (!d) {
      d = {
        providerId: pid,
        date,
        bookedMinutes: 0,
        dutyMinutes: 0,
        appointments: 0,
        noShows: 0,
        utilisationBp: 0,
      };
      days.set(key, d);
    }
    return d;
  };
  for (const p of resources.providers) {
    if (p.schedule === null || (providerId !== null && p.providerId !== providerId)) continue;
    const duty = dutySpans(zone, p.schedule, p.timeOff, first, last);
    for (let day = first; day <= last; day++) {
      const span = zonedDay(zone, day);
      const minutes = Math.round(minutesWithin(duty, span.start, span.end));
      if (minutes > 0) dayOf(p.providerId, span.date).dutyMinutes = minutes;
    }
  }
  for (const b of booked) {
    const d = dayOf(b.providerId, b.date);
    d.bookedMinutes = b.bookedMinutes;
    d.appointments = b.appointments;
    d.noShows = b.noShows;
  }
  for (const d of days.values()) {
    d.utilisationBp = d.dutyMinutes > 0 ? Math.round((d.bookedMinutes / d.dutyMinutes) * 10_000) : 0;
  }
  return [...days.values()].sort(
    (a, b) => a.date.localeCompare(b.date) || a.providerId.localeCompare(b.providerId),
  );
}
