import { describe, expect, it } from 'vitest';
import { ALL_WEEK, facial, hoursOn, provider, query } from './fixtures/clinic.js';
import { naiveSearch } from './fixtures/naive-search.js';
import type { AvailabilityQuery } from './query.js';
import { searchAvailability } from './search.js';

// New York: 2026-03-08 springs forward at 02:00 (to 03:00 EDT); 2026-11-01 falls back at 02:00
// (to 01:00 EST), so 01:00–02:00 happens twice.
//
// Decisions, as implemented by ZonedDay:
// - Slots start on the local wall-clock grid: 09:00 is 09:00 local whatever the offset.
// - Spring forward: 02:xx does not exist, so no slot starts then.
// - Fall back: both occurrences of 01:xx are real, distinct instants, and both are offered when
//   within hours; `localStart` carries the offset (01:30-04:00, then 01:30-05:00), so they are
//   never confused. Durations are elapsed time: a 60-minute treatment at 01:30 EST on the spring
//   night ends at 03:30 EDT.
// - Opening and working hours hold every instant whose wall clock reads a time in the range: a
//   00:00–03:00 shift is 2 real hours on the spring night and 4 on the fall night.

const allDay = hoursOn(ALL_WEEK, '00:00', '24:00');
const nightClinic = (date: string, overrides: Partial<AvailabilityQuery> = {}) =>
  query({
    location: { timeZone: 'America/New_York', openingHours: allDay },
    providers: [provider(1, { schedule: { hours: allDay, breaks: [] } })],
    treatment: { ...facial, durationMinutes: 30 },
    fromDate: date,
    toDate: date,
    granularityMinutes: 30,
    now: '2026-01-01T00:00:00Z',
    pageSize: 500,
    ...overrides,
  });
const labels = (q: AvailabilityQuery) => searchAvailability(q).slots.map((s) => s.localStart);

describe('availability across daylight-saving changes (America/New_York)', () => {
  it('keeps a 09:00 slot at 09:00 local on both sides of each change', () => {
    const march = searchAvailability(
      query({ fromDate: '2026-03-07', toDate: '2026-03-09', pageSize: 500, now: '2026-01-01T00:00:00Z' }),
    );
    const nine = march.slots.filter((s) => s.localStart.slice(11, 16) === '09:00').map((s) => s.start);
    expect(nine).toEqual([
      '2026-03-07T14:00:00.000Z',
      '2026-03-08T13:00:00.000Z',
      '2026-03-09T13:00:00.000Z',
    ]);
    const november = searchAvailability(
      query({ fromDate: '2026-10-31', toDate: '2026-11-02', pageSize: 500 }),
    );
    const nineAgain = november.slots
      .filter((s) => s.localStart.slice(11, 16) === '09:00')
      .map((s) => s.start);
    expect(nineAgain).toEqual([
      '2026-10-31T13:00:00.000Z',
      '2026-11-01T14:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
    ]);
  });

  it('offers no 02:xx start on the spring-forward day, which has 23 hours of slots', () => {
    const slots = labels(nightClinic('2026-03-08'));
    expect(slots.filter((l) => l.includes('T02:'))).toEqual([]);
    expect(slots.slice(2, 6)).toEqual([
      '2026-03-08T01:00-05:00',
      '2026-03-08T01:30-05:00',
      '2026-03-08T03:00-04:00',
      '2026-03-08T03:30-04:00',
    ]);
    expect(slots).toHaveLength(46);
  });

  it('offers both 01:xx hours on the fall-back day, labelled by offset, which has 25 hours of slots', () => {
    const slots = labels(nightClinic('2026-11-01'));
    expect(slots.slice(2, 8)).toEqual([
      '2026-11-01T01:00-04:00',
      '2026-11-01T01:30-04:00',
      '2026-11-01T01:00-05:00',
      '2026-11-01T01:30-05:00',
      '2026-11-01T02:00-05:00',
      '2026-11-01T02:30-05:00',
    ]);
    expect(slots).toHaveLength(50);
  });

  it('measures durations in elapsed time across the gap', () => {
    const q = nightClinic('2026-03-08', { treatment: { ...facial, durationMinutes: 60 } });
    const at0130 = searchAvailability(q).slots.find((s) => s.localStart === '2026-03-08T01:30-05:00');
    expect(at0130).toMatchObject({ start: '2026-03-08T06:30:00.000Z', end: '2026-03-08T07:30:00.000Z' });
  });

  it('counts a 00:00–03:00 shift as 2 real hours in March and 4 in November', () => {
    const shift = { hours: hoursOn(ALL_WEEK, '00:00', '03:00'), breaks: [] };
    const q = (date: string) =>
      nightClinic(date, {
        providers: [provider(1, { schedule: shift })],
        treatment: facial,
        granularityMinutes: 60,
      });
    expect(labels(q('2026-03-08'))).toEqual(['2026-03-08T00:00-05:00', '2026-03-08T01:00-05:00']);
    expect(labels(q('2026-11-01'))).toEqual([
      '2026-11-01T00:00-04:00',
      '2026-11-01T01:00-04:00',
      '2026-11-01T01:00-05:00',
      '2026-11-01T02:00-05:00',
    ]);
  });

  it('agrees with the naive reference on both transition weekends', () => {
    for (const [from, to] of [
      ['2026-03-07', '2026-03-09'],
      ['2026-10-31', '2026-11-02'],
    ] as const) {
      const q = nightClinic(from, {
        toDate: to,
        granularityMinutes: 15,
        treatment: { ...facial, bufferAfterMinutes: 10 },
      });
      expect(searchAvailability(q).slots).toEqual(naiveSearch(q).slice(0, 500));
    }
  });
});
