import { parseLocalDate } from '../shared/local-time.js';
import { mergeSpans, subtractSpans, type Span } from '../shared/spans.js';
import { compileWeeklyHours, weeklySpans } from '../shared/weekly-hours.js';
import { zonedDay } from '../shared/zoned-day.js';
import type { TimeOff, WeeklySchedule } from './provider-schedule.js';

/** Time off as merged spans in a location's zone (whole dates follow that zone's wall clock). */
export function timeOffSpans(zone: string, timeOff: readonly TimeOff[]): Span[] {
  return mergeSpans(
    timeOff.map(({ period }): Span => {
      switch (period.kind) {
        case 'instants':
          return { start: Date.parse(period.start), end: Date.parse(period.end) };
        case 'dates':
          return {
            start: zonedDay(zone, parseLocalDate(period.firstDate, 'firstDate')).start,
            end: zonedDay(zone, parseLocalDate(period.lastDate, 'lastDate')).end,
          };
        default: {
          const _exhaustive: never = period;
          return { start: 0, end: 0 };
        }
      }
    }),
  );
}

/**
 * When a provider is on duty at a location over local days `firstDay..lastDay`: working hours
 * minus breaks minus time off, as merged spans. Bookings (held time) are not subtracted here; they
 * change far more often and are checked against the calendars.
 */
export function dutySpans(
  zone: string,
  schedule: WeeklySchedule,
  timeOff: readonly TimeOff[],
  firstDay: number,
  lastDay: number,
): Span[] {
  const working = weeklySpans(zone, compileWeeklyHours(schedule.hours), firstDay, lastDay);
  const breaks = weeklySpans(zone, compileWeeklyHours(schedule.breaks), firstDay, lastDay);
  return subtractSpans(subtractSpans(working, breaks), timeOffSpans(zone, timeOff));
}
