import { describe, expect, it } from 'vitest';
import { ALL_WEEK, facial, hoursOn, provider, query, uuid } from './fixtures/clinic.js';
import type { AvailabilityQuery, BusyTime } from './query.js';
import { searchAvailability } from './search.js';

// 2026-06-01 is a Monday; New York is on EDT (UTC-4), so 09:00 local is 13:00Z.
const local = (q: AvailabilityQuery) => searchAvailability(q).slots.map((s) => s.localStart.slice(11, 16));
const busy = (kind: BusyTime['resourceKind'], id: string, start: string, end: string): BusyTime => ({
  resourceKind: kind,
  resourceId: id,
  startMs: Date.parse(start),
  endMs: Date.parse(end),
});
const thrown = (q: AvailabilityQuery) => {
  try {
    searchAvailability(q);
  } catch (e) {
    return (e as { reason?: string }).reason;
  }
  return undefined;
};

describe('availability search', () => {
  it('offers every grid start inside opening and working hours', () => {
    const result = searchAvailability(query());
    expect(result.slots.map((s) => s.localStart)).toEqual(
      [9, 10, 11, 12, 13, 14, 15, 16].map((h) => `2026-06-01T${String(h).padStart(2, '0')}:00-04:00`),
    );
    expect(result.slots[0]).toEqual({
      start: '2026-06-01T13:00:00.000Z',
      end: '2026-06-01T14:00:00.000Z',
      localStart: '2026-06-01T09:00-04:00',
      providerId: uuid(1),
      roomId: null,
      deviceId: null,
    });
    expect(result.hasMore).toBe(false);
  });

  it('skips held time and resumes on the next grid point after it', () => {
    const q = query({ busy: [busy('provider', uuid(1), '2026-06-01T15:00:00Z', '2026-06-01T16:30:00Z')] });
    expect(local(q)).toEqual(['09:00', '10:00', '13:00', '14:00', '15:00', '16:00']);
    expect(local({ ...q, granularityMinutes: 15 })).toContain('12:30');
  });

  it('holds buffers on both sides, which may reach outside opening but not outside working hours', () => {
    const treatment = { ...facial, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
    const held = busy('provider', uuid(1), '2026-06-01T15:00:00Z', '2026-06-01T16:00:00Z'); // 11:00–12:00
    const q = query({ treatment, busy: [held], granularityMinutes: 15 });
    const starts = local(q);
    expect(starts[0]).toBe('09:15');
    expect(starts).toContain('09:45'); // held 09:30–11:00, touching the booking at 11:00
    expect(starts).not.toContain('10:00');
    expect(starts).toContain('12:15');
    expect(starts.at(-1)).toBe('15:45'); // held until 17:00
    const longerShift = { hours: hoursOn(ALL_WEEK, '08:45', '17:15'), breaks: [] };
    const widened = local({ ...q, providers: [provider(1, { schedule: longerShift })] });
    expect(widened[0]).toBe('09:00');
    expect(widened.at(-1)).toBe('16:00');
  });

  it('respects breaks and time off (instants and whole local dates)', () => {
    const lunch = { hours: hoursOn(ALL_WEEK, '09:00', '17:00'), breaks: hoursOn([1], '12:00', '13:00') };
    expect(local(query({ providers: [provider(1, { schedule: lunch })] }))).not.toContain('12:00');
    expect(local(query({ providers: [provider(1, { schedule: lunch })] }))).not.toContain('11:30');
    const morningOff = provider(1, {
      timeOff: [
        {
          timeOffId: uuid(50),
          period: { kind: 'instants', start: '2026-06-01T13:00:00Z', end: '2026-06-01T16:00:00Z' },
        },
      ],
    });
    expect(local(query({ providers: [morningOff] }))[0]).toBe('12:00');
    const dayOff = provider(1, {
      timeOff: [
        { timeOffId: uuid(51), period: { kind: 'dates', firstDate: '2026-06-01', lastDate: '2026-06-01' } },
      ],
    });
    expect(local(query({ providers: [dayOff], toDate: '2026-06-02' }))[0]).toBe('09:00');
    expect(searchAvailability(query({ providers: [dayOff], toDate: '2026-06-02' })).slots[0]!.start).toBe(
      '2026-06-02T13:00:00.000Z',
    );
  });

  it('respects the minimum lead time and never offers the past', () => {
    const treatment = { ...facial, minimumLeadTimeMinutes: 60 };
    expect(local(query({ treatment, now: '2026-06-01T13:30:00Z' }))[0]).toBe('11:00');
    expect(local(query({ now: '2026-06-01T13:30:00Z' }))[0]).toBe('10:00');
    expect(local(query({ now: '2026-06-02T00:00:00Z' }))).toEqual([]);
  });

  it('picks a free room and device of the right type, lowest id first', () => {
    const treatment = { ...facial, roomType: 'laser_suite', deviceType: 'co2_laser' };
    const rooms = [
      { roomId: uuid(21), roomType: 'laser_suite' },
      { roomId: uuid(20), roomType: 'laser_suite' },
      { roomId: uuid(19), roomType: 'treatment_room' },
    ];
    const devices = [{ deviceId: uuid(30), deviceType: 'co2_laser' }];
    const q = query({ treatment, rooms, devices });
    expect(searchAvailability(q).slots[0]).toMatchObject({ roomId: uuid(20), deviceId: uuid(30) });
    const roomTaken = busy('room', uuid(20), '2026-06-01T13:00:00Z', '2026-06-01T14:00:00Z');
    expect(searchAvailability({ ...q, busy: [roomTaken] }).slots[0]).toMatchObject({ roomId: uuid(21) });
    const deviceTaken = busy('device', uuid(30), '2026-06-01T13:00:00Z', '2026-06-01T15:00:00Z');
    expect(local({ ...q, busy: [deviceTaken] })[0]).toBe('11:00');
    expect(searchAvailability({ ...q, rooms: rooms.slice(2) }).slots).toEqual([]);
  });

  it('offers only providers who may perform the treatment, or the one asked for', () => {
    const treatment = {
      ...facial,
      requiredQualification: 'laser_level_2',
      eligibleRoles: ['registered_nurse'],
    };
    const providers = [
      provider(1, { roles: ['registered_nurse'], qualifications: ['laser_level_2'] }),
      provider(2, { roles: ['aesthetician'], qualifications: ['laser_level_2'] }),
      provider(3, { roles: ['registered_nurse'], qualifications: [] }),
    ];
    const ids = new Set(searchAvailability(query({ treatment, providers })).slots.map((s) => s.providerId));
    expect([...ids]).toEqual([uuid(1)]);
    const two = query({ providers: [provider(2), provider(1)], providerId: uuid(2) });
    expect(new Set(searchAvailability(two).slots.map((s) => s.providerId))).toEqual(new Set([uuid(2)]));
  });

  it('sorts by start then provider and pages', () => {
    const q = query({ providers: [provider(3), provider(1), provider(2)], pageSize: 4 });
    const result = searchAvailability(q);
    expect(result.slots.map((s) => [s.localStart.slice(11, 16), s.providerId])).toEqual([
      ['09:00', uuid(1)],
      ['09:00', uuid(2)],
      ['09:00', uuid(3)],
      ['10:00', uuid(1)],
    ]);
    expect(result.hasMore).toBe(true);
    expect(searchAvailability({ ...q, pageSize: 24 }).hasMore).toBe(false);
  });

  it('refuses bad input with machine-readable reasons', () => {
    expect(thrown(query({ fromDate: '2026-06-01', toDate: '2026-07-02' }))).toBe('SEARCH_RANGE_TOO_LONG');
    expect(thrown(query({ fromDate: '2026-06-01', toDate: '2026-07-01' }))).toBeUndefined();
    expect(thrown(query({ fromDate: '2026-06-02', toDate: '2026-06-01' }))).toBe('END_BEFORE_START');
    expect(thrown(query({ toDate: '2026-06-31' }))).toBe('INVALID_LOCAL_DATE');
    expect(thrown(query({ location: { timeZone: 'Mars/Base', openingHours: [] } }))).toBe(
      'INVALID_TIME_ZONE',
    );
    expect(thrown(query({ granularityMinutes: 7 }))).toBe('INVALID_GRANULARITY');
    expect(thrown(query({ pageSize: 501 }))).toBe('INVALID_PAGE_SIZE');
    expect(thrown(query({ now: 'yesterday' }))).toBe('INVALID_INSTANT');
  });
});
