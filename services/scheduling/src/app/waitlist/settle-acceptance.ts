import { isAppError } from '@medspa/errors';
import type { EventMetadata, EventStore } from '@medspa/eventstore';
import type { AppointmentState, WaitlistState } from '../../domain/index.js';
import { changeAppointment } from '../appointment-writer.js';
import { loadBookingContext } from '../booking-context.js';
import { loadStream, STREAMS, streamIdOf } from '../streams.js';
import { cascadeOfOffer, closeCascade } from './cascades.js';
import { changeEntry, entryStreamId } from './entry-writer.js';

export interface Settled {
  entry: WaitlistState;
  entryVersion: number;
  appointment: { state: AppointmentState; version: number } | null;
  /** Why the accepted slot could not be booked (SLOT_TAKEN, or the booking's refusal). */
  failureReason: string | null;
}

async function appointmentOf(store: EventStore, tenantId: string, appointmentId: string) {
  return loadStream(
    store,
    streamIdOf('appointment', appointmentId),
    STREAMS.appointment.decider,
    tenantId,
    'APPOINTMENT_NOT_FOUND',
  );
}

/**
 * Books an accepted offer, then fulfils the entry (the cascade ends booked) or, when the slot can
 * no longer be booked, reopens it (the cascade ends there: the slot is gone). The appointment id
 * is the offer id, so the accepting call and the watchdog timer may both run this: whoever comes
 * second finds the appointment booked and only fulfils, which is itself idempotent. A transient
 * failure (a conflict storm, the database) is thrown and leaves the entry accepted for the timer.
 */
export async function settleAcceptance(
  store: EventStore,
  metadata: EventMetadata,
  entryId: string,
  now: () => Date,
): Promise<Settled> {
  const tenantId = metadata.tenantId;
  const loaded = await loadStream(
    store,
    entryStreamId(entryId),
    STREAMS.waitlist.decider,
    tenantId,
    'WAITLIST_ENTRY_NOT_FOUND',
  );
  const entry = loaded.state;
  if (entry.status === 'fulfilled') {
    const appointment = await appointmentOf(store, tenantId, entry.appointmentId);
    return { entry, entryVersion: loaded.version, appointment, failureReason: null };
  }
  if (entry.status !== 'accepted')
    return { entry, entryVersion: loaded.version, appointment: null, failureReason: null };

  const { offer } = entry;
  const appointmentId = offer.offerId;
  let failureReason: string | null = null;
  const existing = await appointmentOf(store, tenantId, appointmentId);
  if (existing.state.status === 'none') {
    const target = {
      locationId: entry.locationId,
      treatmentId: entry.treatmentId,
      providerId: offer.slot.providerId,
      roomId: offer.slot.roomId,
      deviceId: offer.slot.deviceId,
    };
    try {
      await changeAppointment(store, {
        appointmentId,
        metadata,
        command: async () => ({
          type: 'BookAppointment',
          appointmentId,
          patientId: entry.patientId,
          ...target,
          start: offer.slot.start,
          now: now().toISOString(),
          context: await loadBookingContext(store, tenantId, target),
        }),
      });
    } catch (e) {
      const transient =
        !isAppError(e) || e.reason === 'STREAM_VERSION_CONFLICT' || e.reason === 'APPOINTMENT_ALREADY_EXISTS';
      if (transient) throw e;
      failureReason = e.reason;
    }
  }

  if (failureReason !== null) {
    const reasonCode = failureReason === 'SLOT_TAKEN' ? 'slot_taken' : 'booking_failed';
    const reopened = await changeEntry(store, {
      entryId,
      metadata,
      command: () => ({ type: 'ReopenWaitlistEntry', entryId, reasonCode, now: now().toISOString() }),
      alongside: async (db) => {
        const cascade = await cascadeOfOffer(db, offer.offerId);
        if (cascade) await closeCascade(db, cascade.cascadeId, reasonCode);
      },
    });
    return { entry: reopened.state, entryVersion: reopened.version, appointment: null, failureReason };
  }
  const fulfilled = await changeEntry(store, {
    entryId,
    metadata,
    command: () => ({ type: 'FulfilWaitlistEntry', entryId, appointmentId, now: now().toISOString() }),
    alongside: async (db) => {
      const cascade = await cascadeOfOffer(db, offer.offerId);
      if (cascade) await closeCascade(db, cascade.cascadeId, 'booked', appointmentId);
    },
  });
  const appointment = await appointmentOf(store, tenantId, appointmentId);
  return { entry: fulfilled.state, entryVersion: fulfilled.version, appointment, failureReason: null };
}
