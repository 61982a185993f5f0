import { errors } from '@medspa/errors';
import { DAY_MS } from './instant.js';

/** A calendar date on a location's wall clock, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A wall-clock time `HH:MM` (24-hour); `24:00` is accepted as the end of a range. */
export type LocalTime = string;
/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-4]):([0-5]\d)$/;

/**
 * Local dates are handled as day numbers (days since 1970-01-01), which makes date arithmetic
 * plain integer arithmetic and keeps it apart from any time zone.
 */
export function parseLocalDate(value: unknown, field: string): number {
  const m = typeof value === 'string' ? DATE.exec(value) : null;
  if (m) {
    const [, y, mo, d] = m.map(Number) as [number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw errors.validation('INVALID_LOCAL_DATE', `${field} must be a date such as 2026-03-08`, {
    violations: [{ field, message: 'expected YYYY-MM-DD' }],
  });
}

/** Minutes since local midnight of `HH:MM`; `24:00` only when it ends a range. */
export function parseLocalTime(value: unknown, field: string, endOfRange = false): number {
  const m = typeof value === 'string' ? TIME.exec(value) : null;
  if (m) {
    const minutes = Number(m[1]) * 60 + Number(m[2]);
    if (minutes < 1440 || (endOfRange && minutes === 1440)) return minutes;
  }
  throw errors.validation('INVALID_LOCAL_TIME', `${field} must be a time such as 09:30`, {
    violations: [
      { field, message: endOfRange ? 'expected HH:MM, 00:00 to 24:00' : 'expected HH:MM, 00:00 to 23:59' },
    ],
  });
}

export const formatLocalDate = (day: number): LocalDate => new Date(day * DAY_MS).toISOString().slice(0, 10);

export const formatLocalTime = (minutes: number): LocalTime =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** ISO weekday of a day number (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): Weekday => (((((day + 3) % 7) + 7) % 7) + 1) as Weekday;
