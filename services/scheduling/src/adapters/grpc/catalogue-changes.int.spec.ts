import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError, type ErrorKind } from '@medspa/errors';
import { daysFromNow, localInstant, setUpClinic, type Clinic } from '../../testing/clinic.js';
import { startHarness, type Harness } from '../../testing/harness.js';

// Changes to the clinic's setup through gRPC: each takes effect on booking and search, and bad
// input, another clinic's ids and roles without settings:write are refused, writing nothing.

let h: Harness;
let clinic: Clinic;
let other: Clinic;
beforeAll(async () => {
  h = await startHarness();
  [clinic, other] = [await setUpClinic(h), await setUpClinic(h)];
});
afterAll(async () => h?.stop());

const date = daysFromNow(8);
const consult = (c: Clinic, providerId = c.providerIds[0], time = '10:00') => ({
  appointmentId: '',
  patientId: randomUUID(),
  locationId: c.locationId,
  treatmentId: c.consultId,
  providerId,
  roomId: '',
  deviceId: '',
  start: localInstant(date, time),
});

async function reasonOf(p: Promise<unknown>): Promise<{ kind: ErrorKind; reason: string }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { kind: e.kind, reason: e.reason };
    throw e;
  }
  throw new Error('expected a refusal');
}

const searchProviders = async (c: Clinic) => {
  await h.service.catchUp();
  const { slots } = await c.desk.searchAvailability({
    locationId: c.locationId,
    treatmentId: c.consultId,
    fromDate: date,
    toDate: date,
    providerId: '',
    granularityMinutes: 60,
    pageSize: 500,
  });
  return new Set(slots.map((s) => s.providerId));
};

describe('changing the clinic’s setup', () => {
  it('revises and discontinues a treatment, deactivates a provider, retires a room', async () => {
    const { owner, desk } = clinic;
    await owner.reviseTreatment({
      treatmentId: clinic.consultId,
      name: 'Consultation',
      durationMinutes: 45,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      requiredQualification: '',
      eligibleRoles: [],
      roomType: '',
      deviceType: '',
      price: { amountMinor: 9_900, currency: 'USD' },
      deposit: undefined,
      minimumLeadTimeMinutes: 0,
    });
    const { appointment } = await desk.bookAppointment(consult(clinic));
    expect(appointment).toMatchObject({ price: { amountMinor: 9_900, currency: 'USD' } });
    expect(appointment!.end!.getTime() - appointment!.start!.getTime()).toBe(45 * 60_000);

    expect(await searchProviders(clinic)).toEqual(new Set(clinic.providerIds));
    await owner.deactivateProvider({ providerId: clinic.providerIds[1] });
    expect(await searchProviders(clinic)).toEqual(new Set([clinic.providerIds[0]]));
    expect(await reasonOf(desk.bookAppointment(consult(clinic, clinic.providerIds[1], '12:00')))).toEqual({
      kind: 'precondition',
      reason: 'PROVIDER_INACTIVE',
    });

    await owner.retireRoom({ roomId: clinic.roomId });
    expect(await reasonOf(owner.retypeRoom({ roomId: clinic.roomId, roomType: 'facial_room' }))).toEqual({
      kind: 'precondition',
      reason: 'ROOM_RETIRED',
    });
    await owner.retypeDevice({ deviceId: clinic.deviceId, deviceType: 'ipl' });
    await owner.retireDevice({ deviceId: clinic.deviceId });

    await owner.discontinueTreatment({ treatmentId: clinic.consultId });
    expect(await reasonOf(desk.bookAppointment(consult(clinic, clinic.providerIds[0], '14:00')))).toEqual({
      kind: 'precondition',
      reason: 'TREATMENT_DISCONTINUED',
    });
  });

  it('takes time off back, clears working hours and changes credentials and opening hours', async () => {
    const { owner } = other;
    const [first, second] = other.providerIds;
    const { timeOffId } = await owner.scheduleTimeOff({
      providerId: first,
      timeOffId: '',
      period: { $case: 'dates', value: { firstDate: date, lastDate: date } },
    });
    expect(await searchProviders(other)).toEqual(new Set([second]));
    await owner.cancelTimeOff({ providerId: first, timeOffId });
    expect(await searchProviders(other)).toEqual(new Set([first, second]));
    await owner.clearWorkingHours({ providerId: second, locationId: other.locationId });
    expect(await searchProviders(other)).toEqual(new Set([first]));
    await owner.changeProviderCredentials({ providerId: first, roles: ['aesthetician'], qualifications: [] });
    await owner.changeOpeningHours({
      locationId: other.locationId,
      openingHours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '10:00', end: '16:00' })),
    });
    await h.service.catchUp();
    const { slots } = await other.desk.searchAvailability({
      locationId: other.locationId,
      treatmentId: other.consultId,
      fromDate: date,
      toDate: date,
      providerId: '',
      granularityMinutes: 60,
      pageSize: 500,
    });
    expect(slots.length).toBeGreaterThan(0);
    for (const s of slots)
      expect(s.start!.getTime()).toBeGreaterThanOrEqual(localInstant(date, '10:00').getTime());
    await owner.deactivateLocation({ locationId: other.locationId });
    expect(await reasonOf(other.desk.bookAppointment(consult(other)))).toEqual({
      kind: 'precondition',
      reason: 'LOCATION_INACTIVE',
    });
  });

  it('refuses bad input, another clinic’s ids and missing permissions, writing nothing', async () => {
    const fresh = await setUpClinic(h);
    const before = await h.admin.query<{ n: string }>('SELECT count(*) AS n FROM scheduling.events');
    const { owner, desk } = fresh;
    const cases: [Promise<unknown>, ErrorKind, string][] = [
      [owner.retireRoom({ roomId: 'room-1' }), 'validation', 'INVALID_ID'],
      [owner.deactivateLocation({ locationId: '' }), 'validation', 'INVALID_ID'],
      [owner.retireRoom({ roomId: randomUUID() }), 'not_found', 'ROOM_NOT_FOUND'],
      [owner.discontinueTreatment({ treatmentId: randomUUID() }), 'not_found', 'TREATMENT_NOT_FOUND'],
      [
        owner.cancelTimeOff({ providerId: fresh.providerIds[0], timeOffId: randomUUID() }),
        'not_found',
        'TIME_OFF_NOT_FOUND',
      ],
      [owner.retypeRoom({ roomId: fresh.roomId, roomType: 'Not A Code' }), 'validation', 'INVALID_CODE'],
      [
        owner.changeOpeningHours({
          locationId: fresh.locationId,
          openingHours: [{ weekday: 9, start: '09:00', end: '10:00' }],
        }),
        'validation',
        'INVALID_WEEKDAY',
      ],
      // another clinic's records
      [owner.retireRoom({ roomId: clinic.roomId }), 'not_found', 'ROOM_NOT_FOUND'],
      [owner.deactivateProvider({ providerId: clinic.providerIds[0] }), 'not_found', 'PROVIDER_NOT_FOUND'],
      [owner.retireDevice({ deviceId: clinic.deviceId }), 'not_found', 'DEVICE_NOT_FOUND'],
      // roles
      [desk.retireRoom({ roomId: fresh.roomId }), 'forbidden', 'PERMISSION_DENIED'],
      [desk.discontinueTreatment({ treatmentId: fresh.consultId }), 'forbidden', 'PERMISSION_DENIED'],
    ];
    const got = await Promise.all(cases.map(([call]) => reasonOf(call)));
    expect(got).toEqual(cases.map(([, kind, reason]) => ({ kind, reason })));
    const after = await h.admin.query<{ n: string }>('SELECT count(*) AS n FROM scheduling.events');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});
