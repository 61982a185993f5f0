import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookAppointmentRequest } from '@medspa/contracts/medspa.scheduling.v1';
import { withTenant } from '@medspa/db';
import { isAppError, type ErrorKind } from '@medspa/errors';
import { daysFromNow, localInstant, setUpClinic, type Clinic } from '../../testing/clinic.js';
import { startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
let clinic: Clinic;
let other: Clinic;
let existingId: string;
beforeAll(async () => {
  h = await startHarness();
  [clinic, other] = [await setUpClinic(h), await setUpClinic(h)];
  const booked = await clinic.desk.bookAppointment(booking());
  existingId = booked.appointment!.appointmentId;
});
afterAll(async () => h?.stop());

function booking(overrides: Partial<BookAppointmentRequest> = {}): BookAppointmentRequest {
  return {
    appointmentId: '',
    patientId: randomUUID(),
    locationId: clinic.locationId,
    treatmentId: clinic.laserId,
    providerId: clinic.providerIds[0],
    roomId: clinic.roomId,
    deviceId: clinic.deviceId,
    start: localInstant(daysFromNow(3), '10:00'),
    ...overrides,
  };
}

/** The kind, reason and violated fields of a refused call. */
async function refusal(p: Promise<unknown>): Promise<{ kind: ErrorKind; reason: string; fields: string[] }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { kind: e.kind, reason: e.reason, fields: e.violations.map((v) => v.field) };
    throw e;
  }
  throw new Error('expected the call to be refused');
}

async function written(): Promise<{ events: number; outbox: number }> {
  const res = await h.admin.query<{ events: string; outbox: string }>(
    `SELECT (SELECT count(*) FROM scheduling.events) AS events, (SELECT count(*) FROM scheduling.outbox) AS outbox`,
  );
  return { events: Number(res.rows[0]!.events), outbox: Number(res.rows[0]!.outbox) };
}

describe('bad input is refused with a reason, and writes nothing', () => {
  it('refuses malformed, impossible and out-of-hours requests', async () => {
    const before = await written();
    const date = daysFromNow(3);
    const desk = clinic.desk;
    const cases: [Promise<unknown>, ErrorKind, string, string?][] = [
      // end before start
      [
        clinic.owner.scheduleTimeOff({
          providerId: clinic.providerIds[0],
          timeOffId: '',
          period: {
            $case: 'instants',
            value: { start: localInstant(date, '12:00'), end: localInstant(date, '11:00') },
          },
        }),
        'validation',
        'END_BEFORE_START',
        'period.end',
      ],
      [
        desk.searchAvailability({
          locationId: clinic.locationId,
          treatmentId: clinic.laserId,
          fromDate: daysFromNow(5),
          toDate: daysFromNow(4),
          providerId: '',
          granularityMinutes: 15,
          pageSize: 10,
        }),
        'validation',
        'END_BEFORE_START',
        'toDate',
      ],
      // past start, missing start, lead time
      [
        desk.bookAppointment(booking({ start: new Date(Date.now() - 86_400_000) })),
        'validation',
        'START_IN_PAST',
        'start',
      ],
      [desk.bookAppointment(booking({ start: undefined })), 'validation', 'INVALID_INSTANT', 'start'],
      [
        desk.bookAppointment(
          booking({
            treatmentId: clinic.leadTimeId,
            start: new Date(Math.ceil(Date.now() / 3_600_000 + 2) * 3_600_000),
          }),
        ),
        'validation',
        'LEAD_TIME_VIOLATION',
        'start',
      ],
      // outside hours: the clinic opens at 08:00, the provider works 09:00–18:00
      [
        desk.bookAppointment(booking({ start: localInstant(date, '07:00') })),
        'validation',
        'OUTSIDE_OPENING_HOURS',
        'start',
      ],
      [
        desk.bookAppointment(booking({ start: localInstant(date, '18:30') })),
        'validation',
        'OUTSIDE_WORKING_HOURS',
        'start',
      ],
      [
        desk.bookAppointment(booking({ start: localInstant(date, '08:30') })),
        'validation',
        'OUTSIDE_WORKING_HOURS',
        'start',
      ],
      // unknown and malformed ids
      [desk.bookAppointment(booking({ locationId: randomUUID() })), 'not_found', 'LOCATION_NOT_FOUND'],
      [desk.bookAppointment(booking({ treatmentId: randomUUID() })), 'not_found', 'TREATMENT_NOT_FOUND'],
      [desk.bookAppointment(booking({ providerId: randomUUID() })), 'not_found', 'PROVIDER_NOT_FOUND'],
      [desk.bookAppointment(booking({ roomId: randomUUID() })), 'not_found', 'ROOM_NOT_FOUND'],
      [desk.bookAppointment(booking({ roomId: '' })), 'validation', 'ROOM_REQUIRED', 'roomId'],
      [desk.bookAppointment(booking({ patientId: 'jane-doe' })), 'validation', 'INVALID_ID', 'patientId'],
      [
        desk.bookAppointment(booking({ appointmentId: existingId })),
        'conflict',
        'APPOINTMENT_ALREADY_EXISTS',
      ],
      [
        desk.cancelAppointment({ appointmentId: randomUUID(), reasonCode: 'other' }),
        'not_found',
        'APPOINTMENT_NOT_FOUND',
      ],
      [desk.getAppointment({ appointmentId: randomUUID() }), 'not_found', 'APPOINTMENT_NOT_FOUND'],
      [desk.getAppointment({ appointmentId: 'not-an-id' }), 'validation', 'INVALID_ID', 'appointmentId'],
      [
        clinic.owner.setWorkingHours({
          providerId: randomUUID(),
          locationId: clinic.locationId,
          hours: [],
          breaks: [],
        }),
        'not_found',
        'PROVIDER_NOT_FOUND',
      ],
      [
        clinic.owner.addRoom({ roomId: '', locationId: randomUUID(), name: 'X', roomType: 'laser_suite' }),
        'not_found',
        'LOCATION_NOT_FOUND',
      ],
      // more than 31 days
      [
        desk.searchAvailability({
          locationId: clinic.locationId,
          treatmentId: clinic.laserId,
          fromDate: daysFromNow(1),
          toDate: daysFromNow(40),
          providerId: '',
          granularityMinutes: 15,
          pageSize: 10,
        }),
        'validation',
        'SEARCH_RANGE_TOO_LONG',
        'toDate',
      ],
      // lifecycle rules
      [
        desk.cancelAppointment({ appointmentId: existingId, reasonCode: 'she was sick' }),
        'validation',
        'INVALID_REASON_CODE',
        'reasonCode',
      ],
      [desk.completeAppointment({ appointmentId: existingId }), 'precondition', 'APPOINTMENT_NOT_CHECKED_IN'],
      [desk.markNoShow({ appointmentId: existingId }), 'precondition', 'APPOINTMENT_NOT_STARTED'],
      [
        clinic.owner.registerLocation({ locationId: '', name: 'X', timeZone: 'Eastern', openingHours: [] }),
        'validation',
        'INVALID_TIME_ZONE',
        'timeZone',
      ],
    ];
    // Every call is already in flight: observe them all at once (none may go unhandled).
    const refusals = await Promise.all(cases.map(([call]) => refusal(call)));
    for (const [i, [, kind, reason, field]] of cases.entries()) {
      const got = refusals[i]!;
      expect({ kind: got.kind, reason: got.reason }).toEqual({ kind, reason });
      if (field !== undefined) expect(got.fields).toContain(field);
    }
    expect(await written()).toEqual(before);
  });

  it('treats another tenant’s ids as unknown and refuses roles without the permission', async () => {
    const billing = await h.clientAs(clinic.tenantId, 'billing');
    const patient = await h.clientAs(clinic.tenantId, 'patient');
    const before = await written();
    const cases: [Promise<unknown>, ErrorKind, string][] = [
      // the other clinic's staff naming this clinic's records
      [
        other.desk.bookAppointment(booking({ locationId: clinic.locationId, treatmentId: other.laserId })),
        'not_found',
        'LOCATION_NOT_FOUND',
      ],
      [
        other.desk.bookAppointment(
          booking({
            locationId: other.locationId,
            treatmentId: other.laserId,
            providerId: clinic.providerIds[0],
            roomId: other.roomId,
            deviceId: other.deviceId,
          }),
        ),
        'not_found',
        'PROVIDER_NOT_FOUND',
      ],
      [other.desk.getAppointment({ appointmentId: existingId }), 'not_found', 'APPOINTMENT_NOT_FOUND'],
      [
        other.desk.cancelAppointment({ appointmentId: existingId, reasonCode: 'other' }),
        'not_found',
        'APPOINTMENT_NOT_FOUND',
      ],
      [
        other.desk.getAppointmentAsOf({ appointmentId: existingId, asOf: new Date() }),
        'not_found',
        'APPOINTMENT_NOT_FOUND',
      ],
      [
        other.desk.getDayCalendar({ locationId: clinic.locationId, date: daysFromNow(3) }),
        'not_found',
        'LOCATION_NOT_FOUND',
      ],
      [
        other.owner.addRoom({
          roomId: '',
          locationId: clinic.locationId,
          name: 'X',
          roomType: 'laser_suite',
        }),
        'not_found',
        'LOCATION_NOT_FOUND',
      ],
      [
        other.owner.registerLocation({
          locationId: clinic.locationId,
          name: 'X',
          timeZone: 'UTC',
          openingHours: [],
        }),
        'not_found',
        'LOCATION_NOT_FOUND',
      ],
      // roles
      [billing.bookAppointment(booking()), 'forbidden', 'PERMISSION_DENIED'],
      [
        clinic.desk.registerLocation({ locationId: '', name: 'X', timeZone: 'UTC', openingHours: [] }),
        'forbidden',
        'PERMISSION_DENIED',
      ],
      [patient.bookAppointment(booking()), 'forbidden', 'PERMISSION_DENIED'],
    ];
    const refusals = await Promise.all(cases.map(([call]) => refusal(call)));
    for (const [i, [, kind, reason]] of cases.entries()) {
      const got = refusals[i]!;
      expect({ kind: got.kind, reason: got.reason }).toEqual({ kind, reason });
    }
    expect(await written()).toEqual(before);
  });
});

describe('read models are tenant-isolated', () => {
  it('shows the app role no rows without a tenant, and only the tenant’s own with one', async () => {
    await h.service.catchUp();
    const pool = h.service.pool; // the app role: not owner, NOBYPASSRLS
    for (const table of ['catalogue', 'calendar_holds', 'appointments']) {
      const bare = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM scheduling.${table}`);
      expect(Number(bare.rows[0]?.n), table).toBe(0);
      const seen = await withTenant(pool, clinic.tenantId, (db) =>
        db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM scheduling.${table}`),
      );
      expect(
        seen.rows.map((r) => r.tenant_id),
        table,
      ).toEqual([clinic.tenantId]);
    }
    const forged = withTenant(pool, other.tenantId, (db) =>
      db.query(
        `INSERT INTO scheduling.appointments (tenant_id, appointment_id, patient_id, location_id, provider_id,
           start_at, end_at, status, version, state) VALUES ($1, $2, $2, $2, $2, now(), now(), 'booked', 1, '{}')`,
        [clinic.tenantId, randomUUID()],
      ),
    );
    await expect(forged).rejects.toThrow(/row-level security/);
  });
});
