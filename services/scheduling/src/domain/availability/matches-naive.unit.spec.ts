import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Weekday } from '../shared/local-time.js';
import { formatLocalDate, formatLocalTime, parseLocalDate } from '../shared/local-time.js';
import type { WeeklyRange } from '../shared/weekly-hours.js';
import { uuid } from './fixtures/clinic.js';
import { naiveSearch } from './fixtures/naive-search.js';
import type { AvailabilityQuery, BusyTime } from './query.js';
import { searchAvailability } from './search.js';

// The fast search must return exactly the first page of what the point-by-point reference finds,
// for random clinics around DST changes in zones with whole-, half- and no-hour shifts.

const FIVE = 5 * 60_000;
const zones = ['America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'UTC'];
const firstDates = ['2026-03-07', '2026-10-31', '2026-04-04', '2026-10-03', '2026-09-05', '2026-06-10'];

const range: fc.Arbitrary<WeeklyRange> = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 95 }), fc.integer({ min: 1, max: 96 }))
  .map(([weekday, a, len]) => ({
    weekday: weekday as Weekday,
    start: formatLocalTime(a * 15),
    end: formatLocalTime(Math.min(96, a + len) * 15),
  }));

// Mostly long days (often from or to midnight, to cross the DST hour), sometimes a short range.
const dayRange = (weekday: number): fc.Arbitrary<WeeklyRange> =>
  fc
    .tuple(
      fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 48 })),
      fc.oneof(fc.constant(96), fc.integer({ min: 49, max: 96 })),
    )
    .map(([a, b]) => ({
      weekday: weekday as Weekday,
      start: formatLocalTime(a * 15),
      end: formatLocalTime(b * 15),
    }));
const week = fc
  .tuple(fc.array(range, { maxLength: 2 }), ...[1, 2, 3, 4, 5, 6, 7].map(dayRange))
  .map(([extra, ...days]) => [...days, ...extra]);

const scenario = fc
  .record({
    zone: fc.constantFrom(...zones),
    fromDate: fc.constantFrom(...firstDates),
    days: fc.integer({ min: 1, max: 3 }),
    opening: fc.oneof(week, fc.array(range, { minLength: 1, maxLength: 9 })),
    providers: fc.array(
      fc.record({
        roles: fc.constantFrom(['r1'], ['r1', 'r2'], ['r2']),
        qualifications: fc.constantFrom(['q1'], ['q1'], []),
        working: fc.option(week, { freq: 8 }),
        breaks: fc.array(range, { maxLength: 2 }),
        offsets: fc.array(fc.tuple(fc.integer({ min: 0, max: 4 * 288 }), fc.integer({ min: 1, max: 200 })), {
          maxLength: 2,
        }),
        wholeDayOff: fc.option(fc.integer({ min: -1, max: 3 }), { freq: 4 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    rooms: fc.array(fc.constantFrom('room_a', 'room_a', 'room_b'), { minLength: 1, maxLength: 2 }),
    devices: fc.array(fc.constantFrom('dev_a'), { minLength: 1, maxLength: 2 }),
    busy: fc.array(
      fc.tuple(
        fc.constantFrom('provider', 'room', 'device'),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 4 * 288 }),
        fc.integer({ min: 1, max: 40 }),
      ),
      { maxLength: 25 },
    ),
    duration: fc.integer({ min: 3, max: 24 }),
    before: fc.integer({ min: 0, max: 6 }),
    after: fc.integer({ min: 0, max: 6 }),
    lead: fc.integer({ min: 0, max: 48 }),
    roomType: fc.constantFrom(null, 'room_a'),
    deviceType: fc.constantFrom(null, null, 'dev_a'),
    qualification: fc.constantFrom(null, 'q1'),
    roles: fc.constantFrom([], ['r1']),
    granularity: fc.constantFrom(10, 15, 30, 60),
    nowOffset: fc.oneof(fc.integer({ min: 0, max: 288 }), fc.integer({ min: 0, max: 3 * 288 })),
    pageSize: fc.integer({ min: 1, max: 60 }),
    onlyFirstProvider: fc.boolean(),
  })
  .map((s): AvailabilityQuery => {
    const first = parseLocalDate(s.fromDate, 'fromDate');
    // Lattice origin: a day before the range, in UTC; every boundary is a multiple of 5 minutes.
    const origin = (first - 1) * 86_400_000;
    const busy: BusyTime[] = s.busy.map(([kind, n, at, len]) => ({
      resourceKind: kind,
      resourceId: uuid((kind === 'provider' ? 1 : kind === 'room' ? 20 : 30) + n),
      startMs: origin + at * FIVE,
      endMs: origin + (at + len) * FIVE,
    }));
    return {
      location: { timeZone: s.zone, openingHours: s.opening },
      treatment: {
        treatmentId: uuid(900),
        durationMinutes: s.duration * 5,
        bufferBeforeMinutes: s.before * 5,
        bufferAfterMinutes: s.after * 5,
        requiredQualification: s.qualification,
        eligibleRoles: [...s.roles],
        roomType: s.roomType,
        deviceType: s.deviceType,
        minimumLeadTimeMinutes: s.lead * 5,
      },
      fromDate: s.fromDate,
      toDate: formatLocalDate(first + s.days - 1),
      providerId: s.onlyFirstProvider ? uuid(1) : null,
      providers: s.providers.map((p, i) => ({
        providerId: uuid(1 + i),
        roles: [...p.roles],
        qualifications: [...p.qualifications],
        schedule: p.working === null ? null : { hours: p.working, breaks: p.breaks },
        timeOff: [
          ...p.offsets.map(([at, len], k) => ({
            timeOffId: uuid(100 + k),
            period: {
              kind: 'instants' as const,
              start: new Date(origin + at * FIVE).toISOString(),
              end: new Date(origin + (at + len) * FIVE).toISOString(),
            },
          })),
          ...(p.wholeDayOff === null
            ? []
            : [
                {
                  timeOffId: uuid(110),
                  period: {
                    kind: 'dates' as const,
                    firstDate: formatLocalDate(first + p.wholeDayOff),
                    lastDate: formatLocalDate(first + p.wholeDayOff),
                  },
                },
              ]),
        ],
      })),
      rooms: s.rooms.map((roomType, i) => ({ roomId: uuid(20 + i), roomType })),
      devices: s.devices.map((deviceType, i) => ({ deviceId: uuid(30 + i), deviceType })),
      busy,
      granularityMinutes: s.granularity,
      now: new Date(origin + s.nowOffset * FIVE).toISOString(),
      pageSize: s.pageSize,
    };
  });

describe('availability search matches the naive reference', () => {
  it('for random clinics around DST changes (property)', () => {
    fc.assert(
      fc.property(scenario, (q) => {
        const expected = naiveSearch(q);
        const result = searchAvailability(q);
        expect(result.slots).toEqual(expected.slice(0, q.pageSize));
        expect(result.hasMore).toBe(expected.length > q.pageSize);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
