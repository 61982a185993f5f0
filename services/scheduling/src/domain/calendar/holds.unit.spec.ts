import { newId } from '@medspa/eventstore';
import { describe, expect, it } from 'vitest';
import { calendarStreamId } from './calendar.js';
import { calendarChanges, holdsFor, type BookedResource } from './holds.js';

const NY = 'America/New_York';
const providerId = newId();
const roomId = newId();
const terms = { durationMinutes: 60, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 };
const resources: BookedResource[] = [
  { kind: 'provider', id: providerId, calendarTimeZone: NY },
  { kind: 'room', id: roomId, calendarTimeZone: NY },
];

describe('calendar holds for a booking', () => {
  it('holds every resource for the treatment plus its buffers', () => {
    const holds = holdsFor({ start: '2026-06-01T14:00:00Z', terms, resources });
    expect(holds).toHaveLength(2);
    for (const h of holds) {
      expect(h).toMatchObject({
        localDate: '2026-06-01',
        start: '2026-06-01T13:45:00.000Z',
        end: '2026-06-01T15:15:00.000Z',
      });
    }
    expect(holds.map((h) => h.resourceKind).sort()).toEqual(['provider', 'room']);
  });

  it('splits a hold that crosses local midnight into two days', () => {
    // Held 23:30 EDT on Oct 31 to 01:00 EDT on Nov 1 (buffers included), cut at local midnight.
    const holds = holdsFor({ start: '2026-11-01T03:45:00Z', terms, resources: resources.slice(0, 1) });
    expect(holds).toEqual([
      expect.objectContaining({
        localDate: '2026-10-31',
        start: '2026-11-01T03:30:00.000Z',
        end: '2026-11-01T04:00:00.000Z',
      }),
      expect.objectContaining({
        localDate: '2026-11-01',
        start: '2026-11-01T04:00:00.000Z',
        end: '2026-11-01T05:00:00.000Z',
      }),
    ]);
  });

  it('keeps each resource in its own calendar zone', () => {
    // 22:00 in New York is 19:00 in Los Angeles: the provider's day is another date's calendar.
    const travelling = [
      { kind: 'provider' as const, id: providerId, calendarTimeZone: 'America/Los_Angeles' },
      { kind: 'room' as const, id: roomId, calendarTimeZone: 'Asia/Tokyo' },
    ];
    const holds = holdsFor({
      start: '2026-06-02T02:00:00Z',
      terms: { ...terms, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
      resources: travelling,
    });
    const dateOf = (kind: string) => holds.find((h) => h.resourceKind === kind)?.localDate;
    expect(dateOf('provider')).toBe('2026-06-01');
    expect(dateOf('room')).toBe('2026-06-02');
  });

  it('plans the calendar changes of a reschedule, stream by stream, in stream order', () => {
    const appointmentId = newId();
    const before = holdsFor({ start: '2026-06-01T14:00:00Z', terms, resources });
    const laterSameDay = holdsFor({ start: '2026-06-01T18:00:00Z', terms, resources: resources.slice(0, 1) });
    const changes = calendarChanges(appointmentId, before, laterSameDay);
    const providerStream = calendarStreamId(laterSameDay[0]!);
    const byStream = new Map(changes.map((c) => [c.streamId, c.commands.map((k) => k.type)]));
    expect(byStream.get(providerStream)).toEqual(['ReleaseResourceTime', 'HoldResourceTime']);
    expect([...byStream.values()]).toContainEqual(['ReleaseResourceTime']);
    expect(changes.map((c) => c.streamId)).toEqual([...changes.map((c) => c.streamId)].sort());
    expect(calendarChanges(appointmentId, before, before)).toEqual([]);
    expect(calendarChanges(appointmentId, [], before).every((c) => c.commands.length === 1)).toBe(true);
  });
});
