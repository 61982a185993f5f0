import { MINUTE_MS, parseInstant, toInstant } from '../shared/instant.js';
import type { Span } from '../shared/spans.js';
import { localDayAt } from '../shared/time-zone.js';
import { zonedDay } from '../shared/zoned-day.js';
import type { BookingTerms } from '../treatment/treatment.js';
import { calendarStreamId, type CalendarDay, type CalendarHold, type ResourceKind } from './calendar.js';
import type { CalendarCommand } from './decide.js';

/** A resource an appointment uses, with the zone its day calendars are kept in. */
export interface BookedResource {
  kind: ResourceKind;
  id: string;
  calendarTimeZone: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type HoldTerms = Pick<BookingTerms, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>;

/** The time a treatment starting at `startMs` keeps its resources busy: buffers included. */
export const heldSpan = (startMs: number, terms: HoldTerms): Span => ({
  start: startMs - terms.bufferBeforeMinutes * MINUTE_MS,
  end: startMs + (terms.durationMinutes + terms.bufferAfterMinutes) * MINUTE_MS,
});

/** A span cut at the local midnights of a zone: one piece per local day it touches. */
export function splitByLocalDay(zone: string, span: Span): { day: number; span: Span }[] {
  const pieces: { day: number; span: Span }[] = [];
  for (let day = localDayAt(zone, span.start); ; day++) {
    const zd = zonedDay(zone, day);
    const start = Math.max(span.start, zd.start);
    const end = Math.min(span.end, zd.end);
    if (end > start) pieces.push({ day, span: { start, end } });
    if (zd.end >= span.end) return pieces;
  }
}

/**
 * The calendar holds a booking needs: for every resource, the held span (buffers included) cut
 * into its local days. An appointment that crosses local midnight, or whose buffers do, holds two
 * days. Sorted by stream id, so every writer appends to streams in the same order.
 */
export function holdsFor(booking: {
  start: string;
  terms: HoldTerms;
  resources: readonly BookedResource[];
}): CalendarHold[] {
  const span = heldSpan(parseInstant(booking.start, 'start'), booking.terms);
  const holds = booking.resources.flatMap((r) =>
    splitByLocalDay(r.calendarTimeZone, span).map((piece): CalendarHold => ({
      resourceKind: r.kind,
      resourceId: r.id,
      localDate: zonedDay(r.calendarTimeZone, piece.day).date,
      start: toInstant(piece.span.start),
      end: toInstant(piece.span.end),
    })),
  );
  return holds.sort((a, b) => compare(calendarStreamId(a), calendarStreamId(b)));
}

/** The commands that one calendar stream must decide, in order, for a change of holds. */
export interface CalendarChange {
  streamId: string;
  calendar: CalendarDay;
  commands: CalendarCommand[];
}

const dayOf = (h: CalendarHold): CalendarDay => ({
  resourceKind: h.resourceKind,
  resourceId: h.resourceId,
  localDate: h.localDate,
});

/**
 * What an appointment's move from `before` to `after` holds asks of each calendar: release the
 * old hold, place the new one, or both on a day that keeps the resource at another time. Days
 * whose hold is unchanged are left out. Booking is `([] → holds)`, cancelling `(holds → [])`.
 * Sorted by stream id: appending in one global order keeps concurrent writers from deadlocking.
 */
export function calendarChanges(
  appointmentId: string,
  before: readonly CalendarHold[],
  after: readonly CalendarHold[],
): CalendarChange[] {
  const byStream = new Map<string, { old?: CalendarHold; next?: CalendarHold }>();
  for (const h of before) byStream.set(calendarStreamId(h), { old: h });
  for (const h of after) byStream.set(calendarStreamId(h), { ...byStream.get(calendarStreamId(h)), next: h });
  const changes: CalendarChange[] = [];
  for (const [streamId, { old, next }] of byStream) {
    if (old && next && old.start === next.start && old.end === next.end) continue;
    const either = next ?? old;
    if (!either) continue;
    const commands: CalendarCommand[] = [];
    if (old) commands.push({ type: 'ReleaseResourceTime', appointmentId, ...dayOf(old) });
    if (next) commands.push({ type: 'HoldResourceTime', appointmentId, ...next });
    changes.push({ streamId, calendar: dayOf(either), commands });
  }
  return changes.sort((a, b) => compare(a.streamId, b.streamId));
}
