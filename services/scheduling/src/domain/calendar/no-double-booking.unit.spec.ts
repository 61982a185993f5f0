import { newId } from '@medspa/eventstore';
import { isAppError } from '@medspa/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CalendarHold } from './calendar.js';
import { InMemoryCalendars } from './fixtures/in-memory-calendars.js';
import { calendarChanges, holdsFor, type BookedResource } from './holds.js';

// Providers keep calendars in New York or Chicago, rooms in New York, the device in Chicago. The
// eight hours from 01:00Z on 2026-11-01 hold both local midnights and both DST changes, so long
// appointments often cross a day boundary of one zone or the other.
const providers: BookedResource[] = [
  { kind: 'provider', id: newId(), calendarTimeZone: 'America/New_York' },
  { kind: 'provider', id: newId(), calendarTimeZone: 'America/Chicago' },
];
const rooms: BookedResource[] = [0, 1].map(() => ({
  kind: 'room',
  id: newId(),
  calendarTimeZone: 'America/New_York',
}));
const device: BookedResource = { kind: 'device', id: newId(), calendarTimeZone: 'America/Chicago' };
const origin = Date.parse('2026-11-01T01:00:00Z');

interface Booking {
  at: number;
  duration: number;
  before: number;
  after: number;
  provider: number;
  room: number;
  device: boolean;
}

const booking: fc.Arbitrary<Booking> = fc.record({
  at: fc.integer({ min: 0, max: 8 * 12 }),
  duration: fc.integer({ min: 1, max: 36 }),
  before: fc.integer({ min: 0, max: 3 }),
  after: fc.integer({ min: 0, max: 3 }),
  provider: fc.integer({ min: 0, max: 1 }),
  room: fc.integer({ min: -1, max: 1 }),
  device: fc.boolean(),
});
const operation = fc.oneof(
  booking.map((b) => ({ op: 'book' as const, ...b })),
  fc.tuple(fc.nat(), booking).map(([pick, b]) => ({ op: 'reschedule' as const, pick, ...b })),
  fc.nat().map((pick) => ({ op: 'cancel' as const, pick })),
);

function holdsOf(b: Booking): CalendarHold[] {
  const resources = [
    providers[b.provider]!,
    ...(b.room >= 0 ? [rooms[b.room]!] : []),
    ...(b.device ? [device] : []),
  ];
  const start = new Date(origin + b.at * 5 * 60_000).toISOString();
  const terms = {
    durationMinutes: b.duration * 5,
    bufferBeforeMinutes: b.before * 5,
    bufferAfterMinutes: b.after * 5,
  };
  return holdsFor({ start, terms, resources });
}

/** The real time a booking occupies and the resources it names, worked out without holdsFor. */
const occupied = (b: Booking) => ({
  start: origin + (b.at - b.before) * 5 * 60_000,
  end: origin + (b.at + b.duration + b.after) * 5 * 60_000,
  resources: [`p${b.provider}`, ...(b.room >= 0 ? [`r${b.room}`] : []), ...(b.device ? ['d'] : [])],
});
const clash = (a: Booking, b: Booking) => {
  const x = occupied(a);
  const y = occupied(b);
  return x.start < y.end && y.start < x.end && x.resources.some((r) => y.resources.includes(r));
};

describe('no resource is ever double-booked', () => {
  it('through any sequence of bookings, reschedules and cancellations (property)', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
        const calendars = new InMemoryCalendars();
        const active = new Map<string, { booking: Booking; holds: CalendarHold[] }>();
        for (const o of operations) {
          const ids = [...active.keys()];
          const id = o.op === 'book' ? newId() : ids[o.pick % Math.max(ids.length, 1)];
          if (id === undefined) continue;
          const before = active.get(id)?.holds ?? [];
          const after = o.op === 'cancel' ? [] : holdsOf(o);
          const others = [...active].filter(([other]) => other !== id).map(([, a]) => a.booking);
          try {
            calendars.append(calendars.decide(calendarChanges(id, before, after)));
            if (o.op === 'cancel') active.delete(id);
            else active.set(id, { booking: o, holds: after });
          } catch (e) {
            // A refusal is only ever SLOT_TAKEN, and only when the time really is taken.
            expect(isAppError(e) && e.reason).toBe('SLOT_TAKEN');
            expect(o.op !== 'cancel' && others.some((b) => clash(o, b))).toBe(true);
          }
          // No two live appointments occupy one resource at the same moment…
          const live = [...active.values()].map((a) => a.booking);
          live.forEach((a, i) => live.slice(i + 1).forEach((b) => expect(clash(a, b)).toBe(false)));
          // …and the calendars hold exactly what the live appointments think they hold.
          const held = [...calendars.activeHolds().values()].flat().length;
          expect(held).toBe([...active.values()].flatMap((a) => a.holds).length);
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('two racing bookings of one resource-day: one commits, the other conflicts, retries and is refused', () => {
    const calendars = new InMemoryCalendars();
    const b = { at: 24, duration: 12, before: 0, after: 0, provider: 0, room: 0, device: false };
    const first = newId();
    const second = newId();
    const holds = holdsOf(b);
    const decidedFirst = calendars.decide(calendarChanges(first, [], holds));
    const decidedSecond = calendars.decide(calendarChanges(second, [], holdsOf({ ...b, at: 30, room: 1 })));
    calendars.append(decidedFirst);
    expect(() => calendars.append(decidedSecond)).toThrow(
      expect.objectContaining({ reason: 'STREAM_VERSION_CONFLICT' }),
    );
    expect(() => calendars.decide(calendarChanges(second, [], holdsOf({ ...b, at: 30, room: 1 })))).toThrow(
      expect.objectContaining({ reason: 'SLOT_TAKEN' }),
    );
  });
});
