import type { Violations } from './violations.js';

// UTC only: events store instants as ISO strings in Z form, so they sort and compare as text.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;

/** True for a real UTC instant in ISO 8601 form (`2025-03-01T14:30:00Z`). */
export function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (m === null) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  return isRealDate(y, mo, d) && h < 24 && mi < 60 && s < 60;
}

/** True for a real calendar date (`2025-02-28`; `2025-02-30` is not). */
export function isCalendarDate(value: string): boolean {
  const m = CALENDAR_DATE.exec(value);
  if (m === null) return false;
  const [y, mo, d] = m.slice(1, 4).map(Number) as [number, number, number];
  return isRealDate(y, mo, d);
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Adds INVALID_INSTANT when `value` is not a UTC instant. */
export function checkInstant(violations: Violations, value: string, field = 'at'): void {
  if (!isInstant(value)) {
    violations.add('INVALID_INSTANT', field, 'must be a UTC instant such as 2025-03-01T14:30:00Z');
  }
}

/** The UTC calendar date of an instant. */
export const utcDateOf = (instant: string): string => instant.slice(0, 10);

// Building an Intl.DateTimeFormat costs ~100 µs (ICU); a clinic group has a handful of zones.
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const knownZones = new Map<string, boolean>();

/** The calendar date an instant falls on in an IANA zone (a clinic's local day). */
export function localDateOf(instant: string, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    // en-CA formats as YYYY-MM-DD; Intl is deterministic for a given time zone database.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(new Date(instant));
}

/** True for a time zone name the runtime knows (`America/Los_Angeles`). */
export function isTimeZone(value: string): boolean {
  const known = knownZones.get(value);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    valid = value.length > 0;
  } catch {
    valid = false;
  }
  // Only real zones are remembered: names typed at random must not grow the map without bound.
  if (valid) knownZones.set(value, true);
  return valid;
}

/**
 * The last day an expiry date covers: a day as itself, a month (`2026-04`, as printed on many
 * syringes and vials) as its last day. Undefined when the value is neither.
 */
export function lastDayCovered(expiry: string): string | undefined {
  if (isCalendarDate(expiry)) return expiry;
  const m = YEAR_MONTH.exec(expiry);
  if (m === null) return undefined;
  const [y, mo] = m.slice(1, 3).map(Number) as [number, number];
  if (mo < 1 || mo > 12) return undefined;
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
}

/** Whole years from a calendar date to another (an age on a day). */
export function yearsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const beforeBirthday = tm < fm || (tm === fm && td < fd);
  return ty - fy - (beforeBirthday ? 1 : 0);
}
