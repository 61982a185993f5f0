import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysFromNow, localInstant, setUpClinic, type Clinic } from '../testing/clinic.js';
import { startHarness, type Harness } from '../testing/harness.js';

// The search reads holds in widening windows of days (only the days each widening adds). Whatever
// the page size, its result must be what day-by-day searches give, joined and cut to the page.

let h: Harness;
let clinic: Clinic;
const days = Array.from({ length: 10 }, (_, i) => daysFromNow(i + 3));
const search = (fromDate: string, toDate: string, pageSize: number) =>
  clinic.desk.searchAvailability({
    locationId: clinic.locationId,
    treatmentId: clinic.laserId,
    fromDate,
    toDate,
    providerId: '',
    granularityMinutes: 30,
    pageSize,
  });
const key = (s: { start?: Date; providerId: string; roomId: string }) =>
  `${s.start!.toISOString()} ${s.providerId} ${s.roomId}`;

beforeAll(async () => {
  h = await startHarness();
  clinic = await setUpClinic(h);
  // Holds on days past the first window, so the widened reads must see them.
  for (const [i, date] of [days[1]!, days[4]!, days[7]!, days[9]!].entries()) {
    await clinic.desk.bookAppointment({
      appointmentId: '',
      patientId: randomUUID(),
      locationId: clinic.locationId,
      treatmentId: clinic.laserId,
      providerId: clinic.providerIds[i % clinic.providerIds.length]!,
      roomId: clinic.roomId,
      deviceId: clinic.deviceId,
      start: localInstant(date, '10:00'),
    });
  }
  await h.service.catchUp();
});
afterAll(async () => h?.stop());

describe('availability search over widening windows', () => {
  it('gives the first page of the day-by-day slots, and hasMore, for pages spanning many days', async () => {
    const perDay = await Promise.all(days.map((d) => search(d, d, 500)));
    for (const r of perDay) expect(r.hasMore).toBe(false);
    const all = perDay.flatMap((r) => r.slots.map(key));
    expect(all.length).toBeGreaterThan(days.length);
    for (const date of [days[1]!, days[4]!, days[7]!, days[9]!]) {
      expect(all.some((k) => k.startsWith(localInstant(date, '10:00').toISOString()))).toBe(false);
    }
    const dayLength = perDay[0]!.slots.length;
    for (const pageSize of [
      1,
      dayLength + 1,
      3 * dayLength - 1,
      6 * dayLength + 2,
      all.length - 1,
      all.length,
    ]) {
      const r = await search(days[0]!, days.at(-1)!, pageSize);
      expect(r.slots.map(key)).toEqual(all.slice(0, pageSize));
      expect(r.hasMore).toBe(all.length > pageSize);
    }
  });
});
