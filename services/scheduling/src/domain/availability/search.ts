import { toInstant } from '../shared/instant.js';
import { zonedDay, type ZonedDay } from '../shared/zoned-day.js';
import { BusyIndex, firstFree, type BusyTimeline, type Candidate } from './busy-index.js';
import { checkQuery, type AvailabilityQuery, type AvailabilityResult } from './query.js';
import { dutyStarts, intersectRanges, mayPerform, openingStarts, type StartRange } from './start-ranges.js';

const MIN = 60_000;

interface ProviderSweep {
  id: string;
  busy: BusyTimeline;
  starts: StartRange[];
  /** Index of the first start range that may still matter; days are swept in order. */
  cursor: number;
}

interface Found {
  startMs: number;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
  day: ZonedDay;
}

/**
 * Bookable slots for a treatment at a location: sorted by start then provider, at most
 * `pageSize`. Pure: everything it knows comes in the query.
 *
 * How it stays fast: everything that does not depend on bookings (opening hours, working hours,
 * breaks, time off, buffers, duration) is first folded, per provider, into sorted ranges of
 * allowed start instants. The days are then swept in order; within a range the sweep walks the
 * local-time grid and, where a provider, room or device is held, jumps straight past the hold
 * (binary search over merged, sorted held spans) instead of stepping through it. It stops after
 * the day that fills the page.
 *
 * DST: the grid is local wall-clock time (09:00 stays 09:00); see ZonedDay for the rules.
 */
export function searchAvailability(q: AvailabilityQuery): AvailabilityResult {
  const { zone, firstDay, lastDay, nowMs, stepMs, providerId } = checkQuery(q);
  const t = q.treatment;
  const before = t.bufferBeforeMinutes * MIN;
  const durationMs = t.durationMinutes * MIN;
  const tail = durationMs + t.bufferAfterMinutes * MIN;
  const earliest = nowMs + t.minimumLeadTimeMinutes * MIN;
  const window = { start: zonedDay(zone, firstDay - 1).start, end: zonedDay(zone, lastDay + 1).end };
  const busy = new BusyIndex(q.busy, window);

  const byId =
    <T>(id: (x: T) => string) =>
    (a: T, b: T) =>
      id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
  const rooms: Candidate[] | null =
    t.roomType === null
      ? null
      : q.rooms
          .filter((r) => r.roomType === t.roomType)
          .map((r) => ({ id: r.roomId, busy: busy.of('room', r.roomId) }))
          .sort(byId((c) => c.id));
  const devices: Candidate[] | null =
    t.deviceType === null
      ? null
      : q.devices
          .filter((d) => d.deviceType === t.deviceType)
          .map((d) => ({ id: d.deviceId, busy: busy.of('device', d.deviceId) }))
          .sort(byId((c) => c.id));
  if (rooms?.length === 0 || devices?.length === 0) return { slots: [], hasMore: false };

  // One day of margin either side: a held time may reach across midnight into a searched day.
  const opening = openingStarts(q, zone, firstDay - 1, lastDay + 1);
  const providers: ProviderSweep[] = q.providers
    .filter((p) => (providerId === null || p.providerId === providerId) && mayPerform(p, t))
    .sort(byId((p) => p.providerId))
    .map((p) => ({
      id: p.providerId,
      busy: busy.of('provider', p.providerId),
      starts: intersectRanges(dutyStarts(p, t, zone, firstDay - 1, lastDay + 1), opening),
      cursor: 0,
    }));

  const found: Found[] = [];
  for (let dayNumber = firstDay; dayNumber <= lastDay && found.length <= q.pageSize; dayNumber++) {
    const day = zonedDay(zone, dayNumber);
    const from = Math.max(day.start, earliest);
    if (from >= day.end) continue;
    const daySlots: Found[] = [];
    // No single provider can contribute more slots than the page still has room for.
    const cap = q.pageSize + 1 - found.length;
    for (const p of providers) {
      while (p.cursor < p.starts.length && p.starts[p.cursor]!.hi < from) p.cursor++;
      let taken = 0;
      for (let i = p.cursor; i < p.starts.length && taken < cap; i++) {
        const range = p.starts[i]!;
        if (range.lo >= day.end) break;
        let s = day.nextGridPoint(Math.max(range.lo, from), stepMs);
        while (s <= range.hi && s < day.end && taken < cap) {
          const heldFrom = s - before;
          const heldTo = s + tail;
          const clash = p.busy.clashEnd(heldFrom, heldTo);
          if (clash >= 0) {
            s = day.nextGridPoint(clash + before, stepMs);
            continue;
          }
          const room = rooms ? firstFree(rooms, heldFrom, heldTo) : null;
          if (typeof room === 'number') {
            s = day.nextGridPoint(room + before, stepMs);
            continue;
          }
          const device = devices ? firstFree(devices, heldFrom, heldTo) : null;
          if (typeof device === 'number') {
            s = day.nextGridPoint(device + before, stepMs);
            continue;
          }
          daySlots.push({ startMs: s, providerId: p.id, roomId: room, deviceId: device, day });
          taken++;
          s = day.nextGridPoint(s + 1, stepMs);
        }
      }
    }
    // Providers were swept in id order and the sort is stable: start, then provider id.
    daySlots.sort((a, b) => a.startMs - b.startMs);
    found.push(...daySlots);
  }

  return {
    slots: found.slice(0, q.pageSize).map((f) => ({
      start: toInstant(f.startMs),
      end: toInstant(f.startMs + durationMs),
      localStart: f.day.localLabel(f.startMs),
      providerId: f.providerId,
      roomId: f.roomId,
      deviceId: f.deviceId,
    })),
    hasMore: found.length > q.pageSize,
  };
}
