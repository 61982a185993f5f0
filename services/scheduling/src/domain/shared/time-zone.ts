import { errors } from '@medspa/errors';
import { DAY_MS, SECOND_MS } from './instant.js';

// Local time ↔ instant on top of Intl alone. Temporal is not in Node 20 and its polyfill (or
// date-fns-tz) would add weight for the one thing needed here: a zone's UTC offset at an instant.
// Everything else (day bounds, DST transitions, disambiguation) is built on that in zoned-day.ts.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Constructing a formatter costs far more than using one, so there is one per zone.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True for a zone name Intl knows (IANA names and their aliases); fixed offsets are refused. */
export function isValidTimeZone(zone: unknown): zone is string {
  // A fixed offset (`+05:00`) has no DST rules, so a clinic's schedule would drift twice a year.
  if (typeof zone !== 'string' || !/^[A-Za-z]/.test(zone)) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The zone, or a validation error INVALID_TIME_ZONE naming the field. */
export function requireTimeZone(zone: unknown, field: string): string {
  if (isValidTimeZone(zone)) return zone;
  throw errors.validation(
    'INVALID_TIME_ZONE',
    `${field} must be an IANA time zone such as America/New_York`,
    {
      violations: [{ field, message: 'unknown IANA time zone' }],
    },
  );
}

/** The zone's UTC offset at an instant, in ms (New York in winter: -18 000 000). */
export function offsetAt(zone: string, ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  let hours = offsetsByHour.get(zone);
  if (hours === undefined) offsetsByHour.set(zone, (hours = new Map<number, number>()));
  const known = hours.get(hour);
  if (known !== undefined) return known;
  const start = formattedOffsetAt(zone, hour * HOUR_MS);
  // A transition inside this hour (Lord Howe shifts by 30 minutes at 02:00): asked exactly, every time.
  if (formattedOffsetAt(zone, (hour + 1) * HOUR_MS - SECOND_MS) !== start) return formattedOffsetAt(zone, ms);
  if (hours.size >= HOURS_KEPT_PER_ZONE) hours.clear();
  hours.set(hour, start);
  return start;
}

// Formatting an instant costs microseconds and a booking or an availability search asks for many
// offsets: they are kept per zone and UTC hour. An hour whose two ends have the same offset has it
// throughout (the time zone database never puts two transitions within an hour).
const HOUR_MS = 3_600_000;
const HOURS_KEPT_PER_ZONE = 50_000;
const offsetsByHour = new Map<string, Map<number, number>>();

function formattedOffsetAt(zone: string, ms: number): number {
  const parts = formatterFor(zone).formatToParts(ms);
  const n = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const p of parts) {
    if (p.type in n) n[p.type as keyof typeof n] = Number(p.value);
  }
  const wall = Date.UTC(n.year, n.month - 1, n.day, n.hour, n.minute, n.second);
  return wall - Math.floor(ms / SECOND_MS) * SECOND_MS;
}

/** The day number (days since 1970-01-01) of the local date at an instant. */
export const localDayAt = (zone: string, ms: number): number =>
  Math.floor((ms + offsetAt(zone, ms)) / DAY_MS);

/**
 * The instant a wall-clock time (as epoch ms of the same digits in UTC) names in a zone, resolved
 * like Temporal's `compatible`: the earlier of two in a repeated hour, and a time that was skipped
 * is moved forward by the length of the gap (02:30 on a spring-forward night becomes 03:30).
 */
export function resolveWallClock(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const early = wall - before;
  if (before === after) return early;
  const late = wall - after;
  const earlyExists = offsetAt(zone, early) === before;
  const lateExists = offsetAt(zone, late) === after;
  if (earlyExists && lateExists) return Math.min(early, late);
  if (lateExists && !earlyExists) return late;
  return early;
}
