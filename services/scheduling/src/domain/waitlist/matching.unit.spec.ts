import { newId } from '@medspa/eventstore';
import { describe, expect, it } from 'vitest';
import { waitlist } from './decide.js';
import { fitsWindows, rankForSlot } from './matching.js';
import type { WaitlistEntryDetails, WaitlistSlot } from './waitlist.js';

const zone = 'America/New_York';
const [locationId, treatmentId, providerId] = [newId(), newId(), newId()] as [string, string, string];
const details: WaitlistEntryDetails = {
  entryId: newId(),
  patientId: newId(),
  locationId,
  treatmentId,
  providerIds: [providerId],
  windows: [{ fromDate: '2026-06-01', toDate: '2026-06-05', earliest: '09:00', latest: '12:00' }],
  priority: 10,
  joinedAt: '2026-05-20T12:00:00.000Z',
};
// Tuesday 2026-06-02, 10:00–11:00 EDT.
const slot: WaitlistSlot = {
  start: '2026-06-02T14:00:00.000Z',
  end: '2026-06-02T15:00:00.000Z',
  providerId,
  roomId: null,
  deviceId: null,
};

describe('waitlist windows', () => {
  it('hold an appointment that falls wholly within them, in the location wall clock', () => {
    const w = details.windows;
    expect(fitsWindows(w, Date.parse(slot.start), Date.parse(slot.end), zone)).toBe(true);
    expect(fitsWindows(w, Date.parse('2026-06-02T15:30:00Z'), Date.parse('2026-06-02T16:30:00Z'), zone)).toBe(
      false,
    );
    expect(fitsWindows(w, Date.parse('2026-06-06T14:00:00Z'), Date.parse('2026-06-06T15:00:00Z'), zone)).toBe(
      false,
    );
    // 09:00 in Los Angeles is noon in New York: the same instants, another wall clock.
    expect(
      fitsWindows(
        w,
        Date.parse('2026-06-02T16:00:00Z'),
        Date.parse('2026-06-02T17:00:00Z'),
        'America/Los_Angeles',
      ),
    ).toBe(true);
  });
});

describe('who is offered a freed slot first', () => {
  it('waiting entries that want it, by priority then by who joined first', () => {
    const entry = (priority: number, joinedAt: string, patch: Partial<typeof details> = {}) =>
      waitlist.evolve(waitlist.initialState(), {
        type: 'WaitlistJoined',
        data: { ...details, entryId: newId(), priority, joinedAt, ...patch },
      });
    const early = entry(10, '2026-05-01T00:00:00.000Z');
    const late = entry(10, '2026-05-02T00:00:00.000Z');
    const vip = entry(50, '2026-05-03T00:00:00.000Z');
    const anyone = entry(0, '2026-04-01T00:00:00.000Z', { providerIds: [] });
    const evenings = entry(90, '2026-04-01T00:00:00.000Z', {
      windows: [{ ...details.windows[0]!, earliest: '17:00', latest: '20:00' }],
    });
    const ranked = rankForSlot(
      [late, evenings, anyone, early, vip],
      { ...slot, locationId, treatmentId },
      zone,
    );
    expect(ranked).toEqual([vip, early, late, anyone]);
  });
});
