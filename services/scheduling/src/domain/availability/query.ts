import { errors } from '@medspa/errors';
import type { ResourceKind } from '../calendar/calendar.js';
import type { LocationProfile } from '../location/location.js';
import type { TimeOff, WeeklySchedule } from '../provider-schedule/provider-schedule.js';
import { requireId, requireInteger } from '../shared/fields.js';
import { parseInstant, type Instant } from '../shared/instant.js';
import { parseLocalDate, type LocalDate } from '../shared/local-time.js';
import { requireTimeZone } from '../shared/time-zone.js';
import type { BookingTerms } from '../treatment/treatment.js';

/** A provider as availability search needs them, at the searched location. */
export interface ProviderForSearch {
  providerId: string;
  roles: string[];
  qualifications: string[];
  /** Working hours and breaks at the searched location; null when they do not work there. */
  schedule: WeeklySchedule | null;
  timeOff: TimeOff[];
}

/** Time already held on a resource's calendar, in epoch ms (as the calendar read model keeps it). */
export interface BusyTime {
  resourceKind: ResourceKind;
  resourceId: string;
  startMs: number;
  endMs: number;
}

export interface AvailabilityQuery {
  location: Pick<LocationProfile, 'timeZone' | 'openingHours'>;
  treatment: BookingTerms;
  /** First and last local dates searched (inclusive, location time), at most 31 days. */
  fromDate: LocalDate;
  toDate: LocalDate;
  /** Only this provider, when given. */
  providerId?: string | null;
  /** Active providers, and rooms and devices in service, of the location. */
  providers: readonly ProviderForSearch[];
  rooms: readonly { roomId: string; roomType: string }[];
  devices: readonly { deviceId: string; deviceType: string }[];
  /** Held time on those resources over the searched days (more is ignored harmlessly). */
  busy: readonly BusyTime[];
  /** Slots start on local times that are whole multiples of this, e.g. 15 (:00, :15, :30, :45). */
  granularityMinutes: number;
  now: Instant;
  /** How many slots to return at most (1–500). */
  pageSize: number;
}

export interface AvailableSlot {
  start: Instant;
  /** When the treatment ends (buffers excluded). */
  end: Instant;
  /** Wall-clock start with its offset, e.g. `2026-11-01T01:30-05:00`. */
  localStart: string;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
}

export interface AvailabilityResult {
  /** Sorted by start, then provider id. */
  slots: AvailableSlot[];
  /** True when more slots exist in the range than were returned. */
  hasMore: boolean;
}

export const MAX_SEARCH_DAYS = 31;
export const MAX_PAGE_SIZE = 500;

export interface CheckedQuery {
  zone: string;
  firstDay: number;
  lastDay: number;
  nowMs: number;
  stepMs: number;
  providerId: string | null;
}

/** The query's scalar inputs checked, with clear reasons, before any work is done. */
export function checkQuery(q: AvailabilityQuery): CheckedQuery {
  const zone = requireTimeZone(q.location.timeZone, 'location.timeZone');
  const firstDay = parseLocalDate(q.fromDate, 'fromDate');
  const lastDay = parseLocalDate(q.toDate, 'toDate');
  if (lastDay < firstDay) {
    throw errors.validation('END_BEFORE_START', 'toDate is before fromDate', {
      violations: [{ field: 'toDate', message: 'must not be before fromDate' }],
    });
  }
  if (lastDay - firstDay + 1 > MAX_SEARCH_DAYS) {
    throw errors.validation('SEARCH_RANGE_TOO_LONG', `Search at most ${MAX_SEARCH_DAYS} days at a time`, {
      violations: [{ field: 'toDate', message: `at most ${MAX_SEARCH_DAYS} days after fromDate, inclusive` }],
    });
  }
  const granularity = requireInteger(
    q.granularityMinutes,
    'granularityMinutes',
    5,
    240,
    'INVALID_GRANULARITY',
  );
  // The grid restarts at every local midnight, so the step must divide a day.
  if (1440 % granularity !== 0) {
    throw errors.validation(
      'INVALID_GRANULARITY',
      'granularityMinutes must divide a day (5, 10, 15, 20, 30, 60…)',
      {
        violations: [{ field: 'granularityMinutes', message: 'must divide 1440' }],
      },
    );
  }
  requireInteger(q.pageSize, 'pageSize', 1, MAX_PAGE_SIZE, 'INVALID_PAGE_SIZE');
  return {
    zone,
    firstDay,
    lastDay,
    nowMs: parseInstant(q.now, 'now'),
    stepMs: granularity * 60_000,
    providerId: q.providerId ? requireId(q.providerId, 'providerId') : null,
  };
}
