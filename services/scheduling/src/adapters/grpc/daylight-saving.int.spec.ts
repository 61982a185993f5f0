import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consultWithFirstProvider, setUpClinic, type Clinic } from '../../testing/clinic.js';
import { startHarness, type Harness } from '../../testing/harness.js';

// New York in 2027: clocks go forward on Sunday 14 March (EST -05:00 → EDT -04:00) and back on
// Sunday 7 November. A 09:00 appointment must stay at 09:00 on the wall clock either side.

let h: Harness;
let clinic: Clinic;
beforeAll(async () => {
  h = await startHarness();
  clinic = await setUpClinic(h);
});
afterAll(async () => h?.stop());

const consultAt = (start: string) => consultWithFirstProvider(clinic, new Date(start));

describe('daylight-saving time', () => {
  it('keeps a 09:00 appointment at 09:00 across the March change', async () => {
    const booked = await clinic.desk.bookAppointment(consultAt('2027-03-13T14:00:00Z')); // 09:00 EST
    const id = booked.appointment!.appointmentId;
    const moved = await clinic.desk.rescheduleAppointment({
      appointmentId: id,
      start: new Date('2027-03-15T13:00:00Z'), // 09:00 EDT
      providerId: '',
      roomId: '',
      deviceId: '',
    });
    expect(moved.appointment?.start?.toISOString()).toBe('2027-03-15T13:00:00.000Z');
    await h.service.catchUp();

    const { slots } = await clinic.desk.searchAvailability({
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      fromDate: '2027-03-13',
      toDate: '2027-03-15',
      providerId: clinic.providerIds[1],
      granularityMinutes: 60,
      pageSize: 500,
    });
    const nineOClock = slots.filter((s) => s.localStart.includes('T09:00'));
    expect(nineOClock.map((s) => [s.localStart, s.start?.toISOString()])).toEqual([
      ['2027-03-13T09:00-05:00', '2027-03-13T14:00:00.000Z'],
      ['2027-03-14T09:00-04:00', '2027-03-14T13:00:00.000Z'],
      ['2027-03-15T09:00-04:00', '2027-03-15T13:00:00.000Z'],
    ]);
    // Working hours 09:00–18:00 hold on the short day too: 09:00 to 17:00, nine hourly starts for a 30-minute consult.
    expect(slots.filter((s) => s.localStart.startsWith('2027-03-14'))).toHaveLength(9);
  });

  it('keeps a 09:00 appointment at 09:00 across the November change', async () => {
    const booked = await clinic.desk.bookAppointment(consultAt('2027-11-06T13:00:00Z')); // 09:00 EDT
    const id = booked.appointment!.appointmentId;
    const moved = await clinic.desk.rescheduleAppointment({
      appointmentId: id,
      start: new Date('2027-11-08T14:00:00Z'), // 09:00 EST
      providerId: '',
      roomId: '',
      deviceId: '',
    });
    expect(moved.appointment?.start?.toISOString()).toBe('2027-11-08T14:00:00.000Z');
    const onTheDay = await clinic.desk.bookAppointment(consultAt('2027-11-07T14:00:00Z')); // 09:00 EST

    await h.service.catchUp();
    const day = await clinic.desk.getDayCalendar({ locationId: clinic.locationId, date: '2027-11-07' });
    const column = day.providers.find((c) => c.resourceId === clinic.providerIds[0]);
    expect(column?.appointments.map((a) => a.appointmentId)).toEqual([onTheDay.appointment!.appointmentId]);
    const before = await clinic.desk.getDayCalendar({ locationId: clinic.locationId, date: '2027-11-06' });
    expect(before.providers.flatMap((c) => c.appointments)).toEqual([]);

    // The calendar holds sit on the local dates the wall clock says.
    const holds = await h.admin.query<{ local_date: string }>(
      `SELECT to_char(local_date, 'YYYY-MM-DD') AS local_date FROM scheduling.calendar_holds WHERE appointment_id = $1`,
      [id],
    );
    expect(holds.rows.map((r) => r.local_date)).toEqual(['2027-11-08']);

    const { slots } = await clinic.desk.searchAvailability({
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      fromDate: '2027-11-06',
      toDate: '2027-11-08',
      providerId: clinic.providerIds[1],
      granularityMinutes: 60,
      pageSize: 500,
    });
    expect(slots.filter((s) => s.localStart.includes('T09:00')).map((s) => s.localStart)).toEqual([
      '2027-11-06T09:00-04:00',
      '2027-11-07T09:00-05:00',
      '2027-11-08T09:00-05:00',
    ]);
  });
});
