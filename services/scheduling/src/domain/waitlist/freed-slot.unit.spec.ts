import { describe, expect, it } from 'vitest';
import { appointment } from '../appointment/decide.js';
import { booked, checkedIn, confirmed } from '../appointment/fixtures/booked-appointment.js';
import type { AppointmentEvent } from '../appointment/appointment.js';
import { freedSlotOf } from './freed-slot.js';

// Which appointment changes free a slot for the waitlist cascade.

const state = booked.reduce(appointment.evolve, appointment.initialState());
const d = (booked[0] as Extract<AppointmentEvent, { type: 'AppointmentBooked' }>).data;
const slot = {
  appointmentId: d.appointmentId,
  locationId: d.locationId,
  treatmentId: d.treatmentId,
  start: d.start,
  end: d.end,
  providerId: d.providerId,
  roomId: d.roomId,
  deviceId: d.deviceId,
};

describe('a freed slot', () => {
  it('comes from a cancellation or a reschedule before the start, with the slot given up', () => {
    const cancelled: AppointmentEvent = {
      type: 'AppointmentCancelled',
      data: {
        appointmentId: d.appointmentId,
        reasonCode: 'patient_request',
        cancelledAt: '2026-05-25T12:00:00.000Z',
      },
    };
    expect(freedSlotOf(state, [cancelled])).toEqual({ slot, freedAt: '2026-05-25T12:00:00.000Z' });
    const rescheduled: AppointmentEvent = {
      type: 'AppointmentRescheduled',
      data: {
        appointmentId: d.appointmentId,
        providerId: d.providerId,
        roomId: d.roomId,
        deviceId: d.deviceId,
        start: '2026-06-03T14:00:00.000Z',
        end: '2026-06-03T15:00:00.000Z',
        holds: [],
        previousStart: d.start,
        rescheduledAt: '2026-05-26T12:00:00.000Z',
      },
    };
    expect(freedSlotOf(state, [rescheduled])?.slot).toEqual(slot);
  });

  it('is nothing for a booking, a confirmation, a check-in, or a no-show after the start', () => {
    expect(freedSlotOf(appointment.initialState(), booked)).toBeNull();
    expect(freedSlotOf(state, [confirmed])).toBeNull();
    expect(freedSlotOf(state, [checkedIn])).toBeNull();
    const noShow: AppointmentEvent = {
      type: 'AppointmentMarkedNoShow',
      data: { appointmentId: d.appointmentId, markedAt: '2026-06-01T14:20:00.000Z' },
    };
    expect(freedSlotOf(state, [noShow])).toBeNull();
  });
});
