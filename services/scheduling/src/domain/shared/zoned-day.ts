import { DAY_MS, MINUTE_MS, SECOND_MS } from './instant.js';
import { formatLocalDate, weekdayOf, type LocalDate, type Weekday } from './local-time.js';
import type { Span } from './spans.js';
import { offsetAt, resolveWallClock } from './time-zone.js';

/**
 * One local day of a zone: its bounds as instants (23, 24 or 25 hours long), its offsets and the
 * DST transition inside it, if any. Computed once with a few Intl calls; afterwards every
 * conversion within the day is arithmetic, which is what keeps availability search fast.
 * Assumes at most one offset change per day, which holds for every zone in use today.
 */
export class ZonedDay {
  readonly date: LocalDate;
  readonly weekday: Weekday;
  /** First instant of the day (local midnight, or the end of a gap that swallowed midnight). */
  readonly start: number;
  /** First instant of the next day. */
  readonly end: number;
  readonly offsetAtStart: number;
  readonly offsetAtEnd: number;
  /** The instant the offset changes within the day, or null. */
  readonly transition: number | null;
  private readonly wallMidnight: number;

  constructor(
    readonly zone: string,
    readonly day: number,
  ) {
    this.date = formatLocalDate(day);
    this.weekday = weekdayOf(day);
    this.wallMidnight = day * DAY_MS;
    this.start = resolveWallClock(zone, this.wallMidnight);
    this.end = resolveWallClock(zone, this.wallMidnight + DAY_MS);
    this.offsetAtStart = offsetAt(zone, this.start);
    this.offsetAtEnd = offsetAt(zone, this.end - 1);
    this.transition = this.offsetAtStart === this.offsetAtEnd ? null : this.findTransition();
  }

  private findTransition(): number {
    // Offsets change on whole seconds (whole minutes, in practice): bisect down to one second.
    let lo = this.start;
    let hi = this.end - 1;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
      if (offsetAt(this.zone, mid) === this.offsetAtStart) lo = mid;
      else hi = mid;
    }
    return lo + SECOND_MS;
  }

  /** The zone's offset at an instant of this day. */
  offsetAt(ms: number): number {
    return this.transition !== null && ms >= this.transition ? this.offsetAtEnd : this.offsetAtStart;
  }

  /**
   * The instant of a local time of this day (minutes since midnight, 1440 = the day's end),
   * resolved like Temporal's `compatible`: earlier occurrence in a repeated hour, skipped times
   * moved forward by the gap.
   */
  instantOf(minuteOfDay: number): number {
    if (minuteOfDay >= 1440) return this.end;
    const wall = this.wallMidnight + minuteOfDay * MINUTE_MS;
    const early = wall - this.offsetAtStart;
    const t = this.transition;
    if (t === null) {
      // Only when midnight itself was skipped can a time fall before the day's first instant.
      return early < this.start ? this.start + minuteOfDay * MINUTE_MS : early;
    }
    if (early < t) return early;
    const late = wall - this.offsetAtEnd;
    return late >= t ? late : early;
  }

  /**
   * The instants of this day whose wall clock reads a time in [fromMinute, toMinute): one span, or
   * two around a DST change. So a range that spans the repeated hour of a fall-back night contains
   * both occurrences (00:00–03:00 is four real hours), one that spans the skipped hour of a
   * spring-forward night is an hour shorter, and a range inside the gap is empty.
   */
  spansOf(fromMinute: number, toMinute: number): Span[] {
    const from = this.wallMidnight + fromMinute * MINUTE_MS;
    const to = this.wallMidnight + toMinute * MINUTE_MS;
    const t = this.transition ?? this.end;
    const spans: Span[] = [];
    const before = {
      start: Math.max(from - this.offsetAtStart, this.start),
      end: Math.min(to - this.offsetAtStart, t),
    };
    if (before.end > before.start) spans.push(before);
    if (this.transition !== null) {
      const after = {
        start: Math.max(from - this.offsetAtEnd, t),
        end: Math.min(to - this.offsetAtEnd, this.end),
      };
      const last = spans[spans.length - 1];
      if (after.end <= after.start) return spans;
      if (last && last.end === after.start) last.end = after.end;
      else spans.push(after);
    }
    return spans;
  }

  /**
   * The first instant at or after `ms` whose local time is a whole multiple of `stepMs` since
   * local midnight, so a 09:00 grid point stays 09:00 on both sides of a DST change. `stepMs` must
   * divide a day.
   */
  nextGridPoint(ms: number, stepMs: number): number {
    const o = this.offsetAt(ms);
    const candidate = Math.ceil((ms + o) / stepMs) * stepMs - o;
    const t = this.transition;
    if (t === null || ms >= t || candidate < t) return candidate;
    return Math.ceil((t + this.offsetAtEnd) / stepMs) * stepMs - this.offsetAtEnd;
  }

  /** The local wall time of an instant of this day with its offset: `2026-03-08T09:00-04:00`. */
  localLabel(ms: number): string {
    const o = this.offsetAt(ms);
    const wall = new Date(ms + o).toISOString().slice(0, 16);
    const abs = Math.abs(o) / MINUTE_MS;
    const hh = String(Math.floor(abs / 60)).padStart(2, '0');
    const mm = String(abs % 60).padStart(2, '0');
    return `${wall}${o < 0 ? '-' : '+'}${hh}:${mm}`;
  }
}

// Days are immutable facts of the tz database, so they are shared across calls; the cap keeps a
// long-running process from growing without bound.
const cache = new Map<string, Map<number, ZonedDay>>();
const DAYS_PER_ZONE = 4_000;

/** The local day `day` (day number) of a zone, from a bounded cache. */
export function zonedDay(zone: string, day: number): ZonedDay {
  let days = cache.get(zone);
  if (!days) cache.set(zone, (days = new Map<number, ZonedDay>()));
  let zd = days.get(day);
  if (!zd) {
    if (days.size >= DAYS_PER_ZONE) days.clear();
    zd = new ZonedDay(zone, day);
    days.set(day, zd);
  }
  return zd;
}

/** The instant of a local date and time in a zone (Temporal `compatible` disambiguation). */
export const instantOfLocal = (zone: string, day: number, minuteOfDay: number): number =>
  zonedDay(zone, day).instantOf(minuteOfDay);
