import type { AppointmentEvent, AppointmentState } from '../appointment/appointment.js';
import type { WaitlistSlot } from './waitlist.js';

/** A slot an appointment gave up, with what it was booked for: the waitlist cascade offers it. */
export type FreedSlot = WaitlistSlot & {
  appointmentId: string;
  locationId: string;
  treatmentId: string;
};

/**
 * The slot these new events free, if any: a cancellation or a no-show gives up the appointment's
 * slot, a reschedule its previous one. A slot that has already started when it is freed (a no-show
 * is marked after the start) frees nothing worth offering.
 */
export function freedSlotOf(
  before: AppointmentState,
  events: readonly AppointmentEvent[],
): { slot: FreedSlot; freedAt: string } | null {
  if (before.status === 'none') return null;
  for (const event of events) {
    let at: string;
    switch (event.type) {
      case 'AppointmentCancelled':
        at = event.data.cancelledAt;
        break;
      case 'AppointmentMarkedNoShow':
        at = event.data.markedAt;
        break;
      case 'AppointmentRescheduled':
        at = event.data.rescheduledAt;
        break;
      case 'AppointmentBooked':
      case 'AppointmentConfirmed':
      case 'AppointmentCheckedIn':
      case 'AppointmentCompleted':
        continue;
      default: {
        const _exhaustive: never = event;
        continue;
      }
    }
    if (Date.parse(before.start) <= Date.parse(at)) return null;
    const slot: FreedSlot = {
      appointmentId: before.appointmentId,
      locationId: before.locationId,
      treatmentId: before.treatmentId,
      start: before.start,
      end: before.end,
      providerId: before.providerId,
      roomId: before.roomId,
      deviceId: before.deviceId,
    };
    return { slot, freedAt: at };
  }
  return null;
}
