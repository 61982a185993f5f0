import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, MINUTE_MS } from './instant.js';
import { parseLocalDate } from './local-time.js';
import { isValidTimeZone, localDayAt, offsetAt, requireTimeZone } from './time-zone.js';
import { instantOfLocal, zonedDay } from './zoned-day.js';

const NY = 'America/New_York';
const day = (d: string) => parseLocalDate(d, 'date');
const at = (iso: string) => Date.parse(iso);
const hm = (h: number, m = 0) => h * 60 + m;

describe('time zones', () => {
  it('accepts IANA names and aliases, refuses offsets and nonsense', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('+05:00')).toBe(false);
    expect(isValidTimeZone(42)).toBe(false);
    expect(() => requireTimeZone('Nowhere/City', 'timeZone')).toThrow(
      expect.objectContaining({ reason: 'INVALID_TIME_ZONE' }),
    );
  });

  it('reads offsets on both sides of a DST change', () => {
    expect(offsetAt(NY, at('2026-03-08T06:59:59Z'))).toBe(-5 * 3600_000);
    expect(offsetAt(NY, at('2026-03-08T07:00:00Z'))).toBe(-4 * 3600_000);
    expect(offsetAt('Asia/Kolkata', at('2026-03-08T07:00:00Z'))).toBe(5.5 * 3600_000);
  });

  it('keeps offsets per hour without ever giving a wrong one (half-hour shifts, odd offsets)', () => {
    // The oracle asks Intl for the offset by name ("GMT+10:30"), not through wall-clock parts.
    const namers = new Map<string, Intl.DateTimeFormat>();
    const named = (zone: string, ms: number) => {
      if (!namers.has(zone))
        namers.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }));
      const name = namers
        .get(zone)!
        .formatToParts(ms)
        .find((p) => p.type === 'timeZoneName')!.value;
      const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name)!;
      return m[1] === undefined
        ? 0
        : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * MINUTE_MS;
    };
    const zones = ['Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu', 'Europe/London', NY];
    const yearStart = at('2026-01-01T00:00:00Z');
    for (const zone of zones) {
      // Twice over the year in 37-minute steps (every minute of the hour, both sides of each
      // transition), the second pass answered from what the first one kept.
      for (let pass = 0; pass < 2; pass++) {
        for (let t = yearStart; t < yearStart + 365 * DAY_MS; t += 37 * MINUTE_MS) {
          if (offsetAt(zone, t) !== named(zone, t)) expect([zone, new Date(t)]).toBe('the same offset');
        }
      }
    }
    // Lord Howe moves by 30 minutes at 02:00 local: every minute around it.
    const shift = at('2026-04-04T15:00:00Z');
    for (let t = shift - 90 * MINUTE_MS; t < shift + 90 * MINUTE_MS; t += MINUTE_MS) {
      expect(offsetAt('Australia/Lord_Howe', t)).toBe(named('Australia/Lord_Howe', t));
    }
  });
});

describe('zoned days', () => {
  it('a spring-forward day is 23 hours long and skips 02:00–03:00', () => {
    const zd = zonedDay(NY, day('2026-03-08'));
    expect(zd.start).toBe(at('2026-03-08T05:00:00Z'));
    expect(zd.end - zd.start).toBe(23 * 3600_000);
    expect(zd.transition).toBe(at('2026-03-08T07:00:00Z'));
    expect(zd.instantOf(hm(1, 30))).toBe(at('2026-03-08T06:30:00Z'));
    // 02:30 does not exist; `compatible` moves it forward by the gap, to 03:30 EDT.
    expect(zd.instantOf(hm(2, 30))).toBe(at('2026-03-08T07:30:00Z'));
    expect(zd.instantOf(hm(9))).toBe(at('2026-03-08T13:00:00Z'));
    expect(zd.localLabel(at('2026-03-08T13:00:00Z'))).toBe('2026-03-08T09:00-04:00');
  });

  it('a fall-back day is 25 hours long and resolves the repeated 01:xx to the first one', () => {
    const zd = zonedDay(NY, day('2026-11-01'));
    expect(zd.end - zd.start).toBe(25 * 3600_000);
    expect(zd.transition).toBe(at('2026-11-01T06:00:00Z'));
    expect(zd.instantOf(hm(1, 30))).toBe(at('2026-11-01T05:30:00Z'));
    expect(zd.instantOf(hm(2, 30))).toBe(at('2026-11-01T07:30:00Z'));
    expect(zd.localLabel(at('2026-11-01T05:30:00Z'))).toBe('2026-11-01T01:30-04:00');
    expect(zd.localLabel(at('2026-11-01T06:30:00Z'))).toBe('2026-11-01T01:30-05:00');
  });

  it('keeps 09:00 at 09:00 local across both transitions', () => {
    const nine = (d: string) => instantOfLocal(NY, day(d), hm(9));
    expect(nine('2026-03-07')).toBe(at('2026-03-07T14:00:00Z'));
    expect(nine('2026-03-09')).toBe(at('2026-03-09T13:00:00Z'));
    expect(nine('2026-10-31')).toBe(at('2026-10-31T13:00:00Z'));
    expect(nine('2026-11-02')).toBe(at('2026-11-02T14:00:00Z'));
  });

  it('a day whose midnight was skipped starts at 01:00 (Santiago)', () => {
    const zd = zonedDay('America/Santiago', day('2026-09-06'));
    expect(zd.localLabel(zd.start)).toBe('2026-09-06T01:00-03:00');
    expect(zd.instantOf(0)).toBe(zd.start);
    expect(zd.end - zd.start).toBe(23 * 3600_000);
  });

  it('grid points follow the local clock across a transition', () => {
    const zd = zonedDay(NY, day('2026-03-08'));
    const step = 30 * MINUTE_MS;
    expect(zd.localLabel(zd.nextGridPoint(at('2026-03-08T06:45:00Z'), step))).toBe('2026-03-08T03:00-04:00');
    const fall = zonedDay(NY, day('2026-11-01'));
    expect(fall.localLabel(fall.nextGridPoint(at('2026-11-01T05:45:00Z'), step))).toBe(
      '2026-11-01T01:00-05:00',
    );
    const kolkata = zonedDay('Asia/Kolkata', day('2026-03-08'));
    expect(kolkata.localLabel(kolkata.nextGridPoint(at('2026-03-08T03:31:00Z'), 60 * MINUTE_MS))).toBe(
      '2026-03-08T10:00+05:30',
    );
  });

  it('agrees with Intl for every instant of a day in several zones (property)', () => {
    const zones = [NY, 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: day('2026-01-01'), max: day('2027-12-31') }),
        fc.integer({ min: 0, max: 1439 }),
        (zone, d, minute) => {
          const zd = zonedDay(zone, d);
          expect(localDayAt(zone, zd.start)).toBe(d);
          expect(localDayAt(zone, zd.end)).toBe(d + 1);
          expect(localDayAt(zone, zd.start - 1)).toBe(d - 1);
          const t = zd.instantOf(minute);
          const wall = t + offsetAt(zone, t);
          // Either the exact wall time, or (skipped time) moved forward by less than the gap.
          const wanted = d * DAY_MS + minute * MINUTE_MS;
          expect(wall - wanted).toBeGreaterThanOrEqual(0);
          expect(wall - wanted).toBeLessThanOrEqual(zd.offsetAtEnd - zd.offsetAtStart + 3600_000);
          if (wall === wanted) expect(zd.offsetAt(t)).toBe(offsetAt(zone, t));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('wall-clock ranges of a day', () => {
  const hours = (spans: { start: number; end: number }[]) =>
    spans.reduce((sum, s) => sum + (s.end - s.start), 0) / 3600_000;

  it('a range over the skipped hour is an hour shorter; one inside the gap is empty', () => {
    const zd = zonedDay(NY, day('2026-03-08'));
    expect(hours(zd.spansOf(0, 1440))).toBe(23);
    expect(hours(zd.spansOf(hm(0), hm(3)))).toBe(2);
    expect(zd.spansOf(hm(2, 15), hm(2, 45))).toEqual([]);
    // 02:30–05:00 opens when the clock first reads a time in the range: 03:00 EDT.
    expect(zd.spansOf(hm(2, 30), hm(5))).toEqual([
      { start: at('2026-03-08T07:00:00Z'), end: at('2026-03-08T09:00:00Z') },
    ]);
    expect(zd.spansOf(hm(9), hm(17))).toEqual([
      { start: at('2026-03-08T13:00:00Z'), end: at('2026-03-08T21:00:00Z') },
    ]);
  });

  it('a range over the repeated hour contains both occurrences', () => {
    const zd = zonedDay(NY, day('2026-11-01'));
    expect(hours(zd.spansOf(0, 1440))).toBe(25);
    expect(hours(zd.spansOf(hm(0), hm(3)))).toBe(4);
    expect(zd.spansOf(hm(1), hm(1, 30))).toEqual([
      { start: at('2026-11-01T05:00:00Z'), end: at('2026-11-01T05:30:00Z') },
      { start: at('2026-11-01T06:00:00Z'), end: at('2026-11-01T06:30:00Z') },
    ]);
  });

  it('agrees with Intl minute by minute (property)', () => {
    const zones = [NY, 'Australia/Lord_Howe', 'America/Santiago', 'Europe/London'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(
          day('2026-03-08'),
          day('2026-11-01'),
          day('2026-09-06'),
          day('2026-04-05'),
          day('2026-10-04'),
          day('2026-03-29'),
          day('2026-10-25'),
        ),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 1, max: 1440 }),
        (zone, d, a, len) => {
          const b = Math.min(1440, a + len);
          const spans = zonedDay(zone, d).spansOf(a, b);
          const zd = zonedDay(zone, d);
          for (let u = zd.start; u < zd.end; u += 10 * MINUTE_MS) {
            const wall = u + offsetAt(zone, u);
            const minute = (wall - d * DAY_MS) / MINUTE_MS;
            const inside = spans.some((s) => s.start <= u && u < s.end);
            expect(inside).toBe(minute >= a && minute < b);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
