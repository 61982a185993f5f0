import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v1 from '@medspa/contracts/medspa.scheduling.v1';
import { isAppError } from '@medspa/errors';
import { makeCanaries, scanPostgres } from '@medspa/testing';
import { daysFromNow, localInstant, setUpClinic, type Clinic } from '../testing/clinic.js';
import { startHarness, type Harness } from '../testing/harness.js';

let h: Harness;
let clinic: Clinic;
beforeAll(async () => {
  h = await startHarness();
  clinic = await setUpClinic(h);
});
afterAll(async () => h?.stop());

const refusedReason = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return isAppError(e) ? e.reason : 'NOT_AN_APP_ERROR';
  }
  return 'ACCEPTED';
};

describe('no PHI leaves scheduling', () => {
  it('refuses PHI in free-text fields and writes ids, times and codes only to the outbox', async () => {
    const canaries = makeCanaries();
    const patientId = randomUUID();
    const request = {
      appointmentId: '',
      patientId,
      locationId: clinic.locationId,
      treatmentId: clinic.laserId,
      providerId: clinic.providerIds[0],
      roomId: clinic.roomId,
      deviceId: clinic.deviceId,
      start: localInstant(daysFromNow(7), '13:00'),
    };
    // A careless client putting a patient's details where an id or a code belongs is refused.
    expect(
      await refusedReason(clinic.desk.bookAppointment({ ...request, patientId: canaries.fullName })),
    ).toBe('INVALID_ID');
    expect(await refusedReason(clinic.desk.bookAppointment({ ...request, patientId: canaries.mrn }))).toBe(
      'INVALID_ID',
    );
    const booked = await clinic.desk.bookAppointment(request);
    const id = booked.appointment!.appointmentId;
    expect(
      await refusedReason(clinic.desk.cancelAppointment({ appointmentId: id, reasonCode: canaries.note })),
    ).toBe('INVALID_REASON_CODE');
    expect(
      await refusedReason(clinic.desk.cancelAppointment({ appointmentId: id, reasonCode: canaries.email })),
    ).toBe('INVALID_REASON_CODE');
    await clinic.desk.rescheduleAppointment({
      appointmentId: id,
      start: localInstant(daysFromNow(7), '15:00'),
      providerId: '',
      roomId: '',
      deviceId: '',
    });
    await clinic.desk.confirmAppointment({ appointmentId: id });
    await clinic.desk.getAppointment({ appointmentId: id });
    await clinic.desk.cancelAppointment({ appointmentId: id, reasonCode: 'patient_request' });
    await h.service.catchUp();

    expect(await scanPostgres(h.adminUrl, canaries, { schemas: ['scheduling'] })).toEqual([]);

    // The messages about this appointment's stream: its integration events, in order.
    const rows = await h.admin.query<{
      message_type: string;
      payload: Buffer;
      headers: Record<string, string>;
    }>(
      `SELECT message_type, payload, headers FROM scheduling.outbox WHERE message_key = $1 ORDER BY position`,
      [`appointment-${id}`],
    );
    expect(rows.rows.map((r) => r.message_type)).toEqual([
      'medspa.scheduling.v1.AppointmentBooked',
      'medspa.scheduling.v1.AppointmentRescheduled',
      'medspa.scheduling.v1.AppointmentConfirmed',
      'medspa.scheduling.v1.AppointmentCancelled',
    ]);
    const bookedEvent = v1.AppointmentBooked.decode(rows.rows[0]!.payload);
    expect(bookedEvent).toMatchObject({ appointmentId: id, patientId, treatmentId: clinic.laserId });
    expect(v1.AppointmentCancelled.decode(rows.rows[3]!.payload).reasonCode).toBe('patient_request');
    const topics = await h.admin.query<{ topic: string }>(`SELECT DISTINCT topic FROM scheduling.outbox`);
    expect(topics.rows.map((r) => r.topic)).toEqual([`${h.topicPrefix}medspa.scheduling.events.v1`]);
  });
});
