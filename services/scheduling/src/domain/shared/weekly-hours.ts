import { errors } from '@medspa/errors';
import { parseLocalTime, type LocalTime, type Weekday } from './local-time.js';
import { mergeSpans, type Span } from './spans.js';
import { zonedDay } from './zoned-day.js';

/** A recurring range of wall-clock time on one weekday, e.g. Tuesdays 09:00–17:30. */
export interface WeeklyRange {
  weekday: Weekday;
  start: LocalTime;
  end: LocalTime;
}

/** Opening hours, working hours or breaks: any number of ranges per weekday, none overlapping. */
export type WeeklyHours = readonly WeeklyRange[];

/** Ranges per weekday as minutes since midnight, indexed 1..7; index 0 is unused. */
export type CompiledWeeklyHours = readonly (readonly (readonly [number, number])[])[];

/**
 * Valid weekly hours, sorted by weekday and start. Ranges stay within one local day (a night shift
 * is two ranges: to 24:00 and from 00:00), which keeps each range's meaning clear across DST.
 */
export function requireWeeklyHours(value: unknown, field: string): WeeklyRange[] {
  if (!Array.isArray(value)) {
    throw errors.validation('INVALID_HOURS', `${field} must be a list of weekly ranges`, {
      violations: [{ field, message: 'expected [{ weekday, start, end }]' }],
    });
  }
  const ranges = value.map((raw: unknown, i) => {
    const r = (raw ?? {}) as Partial<Record<keyof WeeklyRange, unknown>>;
    const at = `${field}.${i}`;
    if (typeof r.weekday !== 'number' || !Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
      throw errors.validation('INVALID_WEEKDAY', `${at}.weekday must be 1 (Monday) to 7 (Sunday)`, {
        violations: [{ field: `${at}.weekday`, message: 'expected 1..7' }],
      });
    }
    const start = parseLocalTime(r.start, `${at}.start`);
    const end = parseLocalTime(r.end, `${at}.end`, true);
    if (end <= start) {
      throw errors.validation('END_BEFORE_START', `${at} ends before it starts`, {
        violations: [{ field: `${at}.end`, message: 'must be after start' }],
      });
    }
    return {
      range: { weekday: r.weekday as Weekday, start: r.start as string, end: r.end as string },
      start,
      end,
    };
  });
  ranges.sort((a, b) => a.range.weekday - b.range.weekday || a.start - b.start);
  for (let i = 1; i < ranges.length; i++) {
    const prev = ranges[i - 1]!;
    const cur = ranges[i]!;
    if (prev.range.weekday === cur.range.weekday && cur.start < prev.end) {
      throw errors.validation(
        'OVERLAPPING_HOURS',
        `${field} has overlapping ranges on weekday ${cur.range.weekday}`,
        {
          violations: [{ field, message: `ranges overlap on weekday ${cur.range.weekday}` }],
        },
      );
    }
  }
  return ranges.map((r) => r.range);
}

/** Weekly hours as minute ranges per weekday, parsed once for repeated use. */
export function compileWeeklyHours(hours: WeeklyHours): CompiledWeeklyHours {
  const byDay: [number, number][][] = [[], [], [], [], [], [], [], []];
  for (const r of hours) {
    byDay[r.weekday]!.push([parseLocalTime(r.start, 'start'), parseLocalTime(r.end, 'end', true)]);
  }
  for (const ranges of byDay) ranges.sort((a, b) => a[0] - b[0]);
  return byDay;
}

/**
 * The weekly hours laid out as instants over local days `firstDay..lastDay` (day numbers) of a
 * zone: every instant whose wall clock reads a time within a range of its weekday (see
 * ZonedDay.spansOf for DST nights). Ranges that touch across midnight merge into one span.
 */
export function weeklySpans(
  zone: string,
  hours: CompiledWeeklyHours,
  firstDay: number,
  lastDay: number,
): Span[] {
  const spans: Span[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const zd = zonedDay(zone, day);
    for (const [from, to] of hours[zd.weekday] ?? []) spans.push(...zd.spansOf(from, to));
  }
  return mergeSpans(spans);
}
