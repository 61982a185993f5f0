import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppointmentStatus, WaitlistEntryStatus } from '@medspa/contracts/medspa.scheduling.v1';
import {
  consultWithFirstProvider,
  daysFromNow,
  localInstant,
  setUpClinic,
  type Clinic,
} from '../../testing/clinic.js';
import { startHarness, type Harness, type SchedulingClient } from '../../testing/harness.js';
import { setTimer, cascadeOfOffer } from './cascades.js';
import { changeEntry } from './entry-writer.js';

// The waitlist auto-fill cascade end to end, through gRPC, on a clock the test moves: a cancelled
// appointment's slot is offered to matching entries one at a time, in priority order; an offer is
// accepted (booked), declined or left to expire (next entry); the cascade stops when the slot is
// booked, nobody is left, or the slot's start passes; and its timers survive a restart.

const HOLD_MS = 60_000;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);

let h: Harness;
let clinic: Clinic;
beforeAll(async () => {
  h = await startHarness({
    now,
    env: { WAITLIST_OFFER_HOLD_SECONDS: String(HOLD_MS / 1000), WAITLIST_TIMER_POLL_MS: '50' },
  });
  clinic = await setUpClinic(h);
});
afterAll(async () => h?.stop());

/** Books a consult, then sets up entries that want that consult slot; returns what a test needs. */
async function freedSlotWithEntries(desk: SchedulingClient, daysAhead: number, priorities: number[]) {
  const date = daysFromNow(daysAhead);
  const start = localInstant(date, '10:00');
  const { appointment } = await desk.bookAppointment(consultWithFirstProvider(clinic, start));
  const entries: { entryId: string; patientId: string }[] = [];
  for (const priority of priorities) {
    const patientId = randomUUID();
    const { entry } = await desk.joinWaitlist({
      entryId: '',
      patientId,
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      providerIds: [],
      windows: [{ fromDate: date, toDate: date, earliest: '09:00', latest: '12:00' }],
      priority,
    });
    entries.push({ entryId: entry!.entryId, patientId });
  }
  await h.service.catchUp();
  return { appointmentId: appointment!.appointmentId, start, entries };
}

const cascadeOf = async (appointmentId: string) =>
  (
    await h.admin.query<{
      status: string;
      outcome: string | null;
      offers_made: number;
      appointment_id: string | null;
    }>(
      `SELECT status, outcome, offers_made, appointment_id FROM scheduling.waitlist_cascades WHERE freed_by = $1`,
      [appointmentId],
    )
  ).rows;

const timersOf = async (appointmentId: string) =>
  Number(
    (
      await h.admin.query<{ n: string }>(
        `SELECT count(*) AS n FROM scheduling.waitlist_timers t JOIN scheduling.waitlist_cascades c USING (cascade_id)
          WHERE c.freed_by = $1`,
        [appointmentId],
      )
    ).rows[0]!.n,
  );

/** The entry's current state, from its stream (through the API's list for that patient). */
async function entryOf(client: SchedulingClient, patientId: string) {
  await h.service.catchUp();
  const { entries } = await client.listWaitlist({
    locationId: '',
    treatmentId: '',
    patientId,
    includeClosed: true,
  });
  return entries[0]!;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const offeredTo = (client: SchedulingClient, patientId: string) =>
  until(`an offer to ${patientId}`, async () => {
    const e = await entryOf(client, patientId);
    return e.status === WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_OFFERED ? e : undefined;
  });

const outboxTypes = async (entryId: string) =>
  (
    await h.admin.query<{ message_type: string }>(
      `SELECT message_type FROM scheduling.outbox WHERE message_key = $1 ORDER BY transaction_id, position`,
      [`waitlist-${entryId}`],
    )
  ).rows.map((r) => r.message_type.replace('medspa.scheduling.v1.', ''));

describe('waitlist auto-fill', () => {
  it('offers a cancelled slot to the highest priority entry, which accepts and is booked into it', async () => {
    const { appointmentId, start, entries } = await freedSlotWithEntries(clinic.desk, 6, [10, 50]);
    const [low, high] = entries as [(typeof entries)[0], (typeof entries)[0]];
    await clinic.desk.cancelAppointment({ appointmentId, reasonCode: 'patient_request' });

    const offered = await offeredTo(clinic.desk, high.patientId);
    expect(offered.offer).toMatchObject({ start, providerId: clinic.providerIds[0] });
    expect(offered.offer!.expiresAt!.getTime() - offered.offer!.offeredAt!.getTime()).toBe(HOLD_MS);
    expect((await entryOf(clinic.desk, low.patientId)).status).toBe(
      WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WAITING,
    );

    // The patient answers for themself.
    const patient = await h.clientAs(clinic.tenantId, 'patient', high.patientId);
    const accepted = await patient.acceptWaitlistOffer({
      entryId: high.entryId,
      offerId: offered.offer!.offerId,
    });
    expect(accepted.bookingFailureReason).toBe('');
    expect(accepted.entry!.status).toBe(WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_FULFILLED);
    expect(accepted.appointment).toMatchObject({
      appointmentId: offered.offer!.offerId,
      patientId: high.patientId,
      start,
      status: AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
    });
    expect(await cascadeOf(appointmentId)).toEqual([
      { status: 'booked', outcome: 'booked', offers_made: 1, appointment_id: offered.offer!.offerId },
    ]);
    expect(await timersOf(appointmentId)).toBe(0);
    expect((await entryOf(clinic.desk, low.patientId)).status).toBe(
      WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WAITING,
    );
    expect(await outboxTypes(high.entryId)).toEqual([
      'WaitlistJoined',
      'WaitlistOfferMade',
      'WaitlistOfferAccepted',
      'WaitlistEntryChanged',
    ]);
  });

  it('moves on to the next entry on a decline and on an expiry, and ends when nobody is left', async () => {
    const { appointmentId, entries } = await freedSlotWithEntries(clinic.desk, 7, [90, 80]);
    const [first, second] = entries as [(typeof entries)[0], (typeof entries)[0]];
    await clinic.desk.rescheduleAppointment({
      appointmentId,
      start: localInstant(daysFromNow(8), '15:00'),
      providerId: '',
      roomId: '',
      deviceId: '',
    });
    const offer1 = await offeredTo(clinic.desk, first.patientId);
    await clinic.desk.declineWaitlistOffer({ entryId: first.entryId, offerId: offer1.offer!.offerId });

    const offer2 = await offeredTo(clinic.desk, second.patientId);
    expect(offer2.offer!.start).toEqual(offer1.offer!.start);
    // Nobody answers: past the hold, the timer expires the offer; nobody else wants the slot.
    offsetMs += HOLD_MS + 1_000;
    await until('the cascade to end', async () => {
      const rows = await cascadeOf(appointmentId);
      return rows[0]?.status === 'ended' ? rows : undefined;
    });
    expect(await cascadeOf(appointmentId)).toEqual([
      { status: 'ended', outcome: 'no_match', offers_made: 2, appointment_id: null },
    ]);
    expect(await timersOf(appointmentId)).toBe(0);
    expect(await outboxTypes(first.entryId)).toEqual([
      'WaitlistJoined',
      'WaitlistOfferMade',
      'WaitlistOfferDeclined',
    ]);
    expect(await outboxTypes(second.entryId)).toEqual([
      'WaitlistJoined',
      'WaitlistOfferMade',
      'WaitlistOfferExpired',
    ]);
    // Both are waiting again, and a late answer to the expired offer is refused.
    expect((await entryOf(clinic.desk, second.patientId)).status).toBe(
      WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WAITING,
    );
    await expect(
      clinic.desk.acceptWaitlistOffer({ entryId: second.entryId, offerId: offer2.offer!.offerId }),
    ).rejects.toMatchObject({ reason: 'NO_OFFER_PENDING' });
  });

  it('stops when the slot start passes during an offer', async () => {
    const { appointmentId, start, entries } = await freedSlotWithEntries(clinic.desk, 9, [50, 40]);
    const [first, second] = entries as [(typeof entries)[0], (typeof entries)[0]];
    await clinic.desk.cancelAppointment({ appointmentId, reasonCode: 'clinic_request' });
    await offeredTo(clinic.desk, first.patientId);
    offsetMs = start.getTime() - Date.now() + 60_000;
    await until('the cascade to end', async () => {
      const rows = await cascadeOf(appointmentId);
      return rows[0]?.status === 'ended' ? rows : undefined;
    });
    offsetMs = 0;
    expect((await cascadeOf(appointmentId))[0]).toMatchObject({ outcome: 'slot_passed', offers_made: 1 });
    expect(await outboxTypes(first.entryId)).toContain('WaitlistOfferExpired');
    expect(await outboxTypes(second.entryId)).toEqual(['WaitlistJoined']);
  });

  it('reopens the entry and ends the cascade when the accepted slot was taken meanwhile', async () => {
    const { appointmentId, start, entries } = await freedSlotWithEntries(clinic.desk, 11, [50, 40]);
    const [first, second] = entries as [(typeof entries)[0], (typeof entries)[0]];
    await clinic.desk.cancelAppointment({ appointmentId, reasonCode: 'patient_request' });
    const offer = await offeredTo(clinic.desk, first.patientId);
    // The desk books the freed slot for someone who walked in.
    await clinic.desk.bookAppointment({
      appointmentId: '',
      patientId: randomUUID(),
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      providerId: clinic.providerIds[0],
      roomId: '',
      deviceId: '',
      start,
    });
    const answer = await clinic.desk.acceptWaitlistOffer({
      entryId: first.entryId,
      offerId: offer.offer!.offerId,
    });
    expect(answer.bookingFailureReason).toBe('SLOT_TAKEN');
    expect(answer.appointment).toBeUndefined();
    expect(answer.entry!.status).toBe(WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WAITING);
    expect((await cascadeOf(appointmentId))[0]).toMatchObject({ status: 'ended', outcome: 'slot_taken' });
    expect(await timersOf(appointmentId)).toBe(0);
    expect(await outboxTypes(second.entryId)).toEqual(['WaitlistJoined']);
  });

  it('books an accepted offer from its timer when the accepting call died before booking', async () => {
    const { appointmentId, entries } = await freedSlotWithEntries(clinic.desk, 13, [50]);
    const [first] = entries as [(typeof entries)[0]];
    await clinic.desk.cancelAppointment({ appointmentId, reasonCode: 'patient_request' });
    const offer = await offeredTo(clinic.desk, first.patientId);
    const offerId = offer.offer!.offerId;
    // What AcceptWaitlistOffer commits before it books: the acceptance and the watchdog timer.
    await changeEntry(h.service.store, {
      entryId: first.entryId,
      metadata: {
        tenantId: clinic.tenantId,
        actor: { id: first.patientId, role: 'patient' },
        correlationId: randomUUID(),
      },
      command: () => ({
        type: 'AcceptWaitlistOffer',
        entryId: first.entryId,
        offerId,
        now: now().toISOString(),
      }),
      alongside: async (db) => {
        const cascade = (await cascadeOfOffer(db, offerId))!;
        await setTimer(db, cascade.tenantId, cascade.cascadeId, new Date(now().getTime() + 30_000));
      },
    });
    expect((await cascadeOf(appointmentId))[0]).toMatchObject({ status: 'offered' });
    offsetMs += 31_000;
    const booked = await until('the booking', async () => {
      const rows = await cascadeOf(appointmentId);
      return rows[0]?.status === 'booked' ? rows[0] : undefined;
    });
    expect(booked.appointment_id).toBe(offerId);
    const fulfilled = await entryOf(clinic.desk, first.patientId);
    expect(fulfilled).toMatchObject({
      status: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_FULFILLED,
      appointmentId: offerId,
    });
    const { appointment } = await clinic.desk.getAppointment({ appointmentId: offerId });
    expect(appointment?.patientId).toBe(first.patientId);
  });

  // Last: the restart leaves the clinic's clients pointing at the old server.
  it('keeps a pending offer across a restart: it expires afterwards and goes to the next entry', async () => {
    const { appointmentId, entries } = await freedSlotWithEntries(clinic.desk, 10, [70, 60]);
    const [first, second] = entries as [(typeof entries)[0], (typeof entries)[0]];
    await clinic.desk.cancelAppointment({ appointmentId, reasonCode: 'patient_request' });
    await offeredTo(clinic.desk, first.patientId);

    await h.restart();
    offsetMs += HOLD_MS + 1_000;
    const desk = await h.clientAs(clinic.tenantId, 'front_desk');
    const offer2 = await offeredTo(desk, second.patientId);
    expect(await outboxTypes(first.entryId)).toEqual([
      'WaitlistJoined',
      'WaitlistOfferMade',
      'WaitlistOfferExpired',
    ]);
    // A doubled timer finds the offer answered and does nothing.
    expect(await h.service.fireDueTimers()).toBe(0);
    expect(await outboxTypes(first.entryId)).toHaveLength(3);
    const accepted = await desk.acceptWaitlistOffer({
      entryId: second.entryId,
      offerId: offer2.offer!.offerId,
    });
    expect(accepted.appointment?.patientId).toBe(second.patientId);
    expect((await cascadeOf(appointmentId))[0]).toMatchObject({ status: 'booked', offers_made: 2 });
  });
});
