import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppointmentStatus } from '@medspa/contracts/medspa.scheduling.v1';
import { isAppError } from '@medspa/errors';
import {
  consultWithFirstProvider,
  daysFromNow,
  localInstant,
  setUpClinic,
  type Clinic,
} from '../../testing/clinic.js';
import { startHarness, type Harness } from '../../testing/harness.js';

let h: Harness;
let clinic: Clinic;
beforeAll(async () => {
  h = await startHarness();
  clinic = await setUpClinic(h);
});
afterAll(async () => h?.stop());

const reasonOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a failure');
};

describe('appointments over gRPC', () => {
  it('books, shows, confirms, checks in and completes an appointment', async () => {
    const patientId = randomUUID();
    const date = daysFromNow(5);
    const start = localInstant(date, '10:00');
    const booked = await clinic.desk.bookAppointment({
      appointmentId: '',
      patientId,
      locationId: clinic.locationId,
      treatmentId: clinic.laserId,
      providerId: clinic.providerIds[0],
      roomId: clinic.roomId,
      deviceId: clinic.deviceId,
      start,
    });
    const appointment = booked.appointment!;
    expect(appointment).toMatchObject({
      patientId,
      status: AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
      start,
      end: new Date(start.getTime() + 60 * 60_000),
      price: { amountMinor: 45_000, currency: 'USD' },
      version: 1,
    });
    const id = appointment.appointmentId;

    // The room and device are now held: another provider cannot have them at an overlapping time.
    const clash = clinic.desk.bookAppointment({
      appointmentId: '',
      patientId: randomUUID(),
      locationId: clinic.locationId,
      treatmentId: clinic.laserId,
      providerId: clinic.providerIds[1],
      roomId: clinic.roomId,
      deviceId: clinic.deviceId,
      start: new Date(start.getTime() + 30 * 60_000),
    });
    expect(await reasonOf(clash)).toBe('SLOT_TAKEN');

    await h.service.catchUp();
    const { slots } = await clinic.desk.searchAvailability({
      locationId: clinic.locationId,
      treatmentId: clinic.laserId,
      fromDate: date,
      toDate: date,
      providerId: '',
      granularityMinutes: 30,
      pageSize: 500,
    });
    const starts = slots.map((s) => s.start!.getTime());
    expect(starts).not.toContain(start.getTime());
    // Buffers: 10 before and after, so the next laser slot starts at 11:30 at the earliest.
    expect(starts).not.toContain(localInstant(date, '11:00').getTime());
    expect(starts).toContain(localInstant(date, '11:30').getTime());

    const day = await clinic.desk.getDayCalendar({ locationId: clinic.locationId, date });
    const column = day.providers.find((c) => c.resourceId === clinic.providerIds[0]);
    expect(column?.appointments.map((a) => a.appointmentId)).toEqual([id]);
    expect(day.rooms.find((c) => c.resourceId === clinic.roomId)?.appointments).toHaveLength(1);
    expect(day.providers.find((c) => c.resourceId === clinic.providerIds[1])?.appointments).toEqual([]);

    const confirmed = await clinic.desk.confirmAppointment({ appointmentId: id });
    expect(confirmed.appointment?.status).toBe(AppointmentStatus.APPOINTMENT_STATUS_CONFIRMED);
    const checkedIn = await clinic.desk.checkInAppointment({ appointmentId: id });
    expect(checkedIn.appointment?.status).toBe(AppointmentStatus.APPOINTMENT_STATUS_CHECKED_IN);
    const completed = await clinic.desk.completeAppointment({ appointmentId: id });
    expect(completed.appointment).toMatchObject({
      status: AppointmentStatus.APPOINTMENT_STATUS_COMPLETED,
      version: 4,
    });
    expect(await reasonOf(clinic.desk.cancelAppointment({ appointmentId: id, reasonCode: 'other' }))).toBe(
      'APPOINTMENT_COMPLETED',
    );
  });

  it('cancels and frees the time; reschedules and moves the holds', async () => {
    const date = daysFromNow(6);
    const book = (time: string, providerId: string) =>
      clinic.desk.bookAppointment({
        appointmentId: '',
        patientId: randomUUID(),
        locationId: clinic.locationId,
        treatmentId: clinic.laserId,
        providerId,
        roomId: clinic.roomId,
        deviceId: clinic.deviceId,
        start: localInstant(date, time),
      });
    const first = (await book('09:30', clinic.providerIds[0])).appointment!;
    expect(await reasonOf(book('10:00', clinic.providerIds[1]))).toBe('SLOT_TAKEN');

    const cancelled = await clinic.desk.cancelAppointment({
      appointmentId: first.appointmentId,
      reasonCode: 'patient_request',
    });
    expect(cancelled.appointment).toMatchObject({
      status: AppointmentStatus.APPOINTMENT_STATUS_CANCELLED,
      cancellationReason: 'patient_request',
    });
    const second = (await book('10:00', clinic.providerIds[1])).appointment!;

    const moved = await clinic.desk.rescheduleAppointment({
      appointmentId: second.appointmentId,
      start: localInstant(date, '14:00'),
      providerId: clinic.providerIds[0],
      roomId: '',
      deviceId: '',
    });
    expect(moved.appointment).toMatchObject({
      providerId: clinic.providerIds[0],
      roomId: clinic.roomId,
      start: localInstant(date, '14:00'),
      status: AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
    });
    // The old time is free again, the new one is not.
    const third = (await book('10:00', clinic.providerIds[1])).appointment!;
    expect(third.appointmentId).not.toBe(second.appointmentId);
    expect(await reasonOf(book('14:30', clinic.providerIds[1]))).toBe('SLOT_TAKEN');

    await h.service.catchUp();
    const holds = await h.admin.query<{ appointment_id: string; resource_kind: string }>(
      `SELECT appointment_id, resource_kind FROM scheduling.calendar_holds WHERE appointment_id = ANY($1::uuid[])`,
      [[first.appointmentId, second.appointmentId, third.appointmentId]],
    );
    expect(holds.rows.filter((r) => r.appointment_id === first.appointmentId)).toEqual([]);
    expect(holds.rows.filter((r) => r.appointment_id === second.appointmentId)).toHaveLength(3);
    expect(holds.rows.filter((r) => r.appointment_id === third.appointmentId)).toHaveLength(3);
  });

  it('lists a patient’s upcoming and past appointments, to the patient and the desk', async () => {
    const patientId = randomUUID();
    const patient = await h.clientAs(clinic.tenantId, 'patient', patientId);
    const booked = await patient.bookAppointment({
      appointmentId: '',
      patientId,
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      providerId: clinic.providerIds[1],
      roomId: '',
      deviceId: '',
      start: localInstant(daysFromNow(8), '16:00'),
    });
    const cancelledOne = await patient.bookAppointment({
      appointmentId: '',
      patientId,
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      providerId: clinic.providerIds[1],
      roomId: '',
      deviceId: '',
      start: localInstant(daysFromNow(9), '16:00'),
    });
    await patient.cancelAppointment({
      appointmentId: cancelledOne.appointment!.appointmentId,
      reasonCode: 'patient_request',
    });
    await h.service.catchUp();
    const mine = await patient.listPatientAppointments({ patientId });
    expect(mine.upcoming.map((a) => a.appointmentId)).toEqual([booked.appointment!.appointmentId]);
    expect(mine.past.map((a) => a.appointmentId)).toEqual([cancelledOne.appointment!.appointmentId]);
    const seenByDesk = await clinic.desk.listPatientAppointments({ patientId });
    expect(seenByDesk.upcoming).toHaveLength(1);

    // Another patient of the clinic sees none of it and may not change it.
    const stranger = await h.clientAs(clinic.tenantId, 'patient');
    expect(await reasonOf(stranger.listPatientAppointments({ patientId }))).toBe('PERMISSION_DENIED');
    const id = booked.appointment!.appointmentId;
    expect(await reasonOf(stranger.getAppointment({ appointmentId: id }))).toBe('PERMISSION_DENIED');
    expect(await reasonOf(stranger.cancelAppointment({ appointmentId: id, reasonCode: 'other' }))).toBe(
      'PERMISSION_DENIED',
    );
    expect(await reasonOf(patient.checkInAppointment({ appointmentId: id }))).toBe('PERMISSION_DENIED');
    expect(
      await reasonOf(patient.getDayCalendar({ locationId: clinic.locationId, date: daysFromNow(8) })),
    ).toBe('PERMISSION_DENIED');
    expect((await patient.getAppointment({ appointmentId: id })).appointment?.appointmentId).toBe(id);

    // Every read of the list and of the appointment, allowed or denied, is in the outbox.
    const accesses = await h.admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM scheduling.outbox WHERE message_type = 'medspa.common.v1.AccessEvent' AND message_key = $1`,
      [patientId],
    );
    expect(Number(accesses.rows[0]?.n)).toBe(5);
  });

  it('replays an appointment as it stood at a past instant', async () => {
    const booked = await clinic.desk.bookAppointment(
      consultWithFirstProvider(clinic, localInstant(daysFromNow(10), '11:00')),
    );
    const id = booked.appointment!.appointmentId;
    await new Promise((r) => setTimeout(r, 20));
    const beforeCancel = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await clinic.desk.cancelAppointment({ appointmentId: id, reasonCode: 'clinic_request' });

    const now = await clinic.desk.getAppointment({ appointmentId: id });
    expect(now.appointment).toMatchObject({
      status: AppointmentStatus.APPOINTMENT_STATUS_CANCELLED,
      version: 2,
    });
    const then = await clinic.desk.getAppointmentAsOf({ appointmentId: id, asOf: beforeCancel });
    expect(then.appointment).toMatchObject({
      status: AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
      version: 1,
    });
    const auditor = await h.clientAs(clinic.tenantId, 'compliance_officer');
    const audited = await auditor.getAppointmentAsOf({ appointmentId: id, asOf: beforeCancel });
    expect(audited.appointment?.status).toBe(AppointmentStatus.APPOINTMENT_STATUS_BOOKED);
    // Before it was booked it did not exist.
    expect(
      await reasonOf(
        clinic.desk.getAppointmentAsOf({ appointmentId: id, asOf: new Date(Date.now() - 3_600_000) }),
      ),
    ).toBe('APPOINTMENT_NOT_FOUND');
  });
});
