import { errors } from '@medspa/errors';
import type { Decider } from '@medspa/eventstore';
import { requireId } from '../shared/fields.js';
import { parseInstant, toInstant, type Instant } from '../shared/instant.js';
import {
  CANCELLATION_REASONS,
  evolveAppointment,
  initialAppointmentState,
  type AppointmentEvent,
  type AppointmentState,
  type CancellationReason,
} from './appointment.js';
import { assessBooking, type BookingContext } from './bookability.js';

export type AppointmentCommand =
  | {
      type: 'BookAppointment';
      appointmentId: string;
      patientId: string;
      locationId: string;
      treatmentId: string;
      providerId: string;
      roomId: string | null;
      deviceId: string | null;
      start: Instant;
      now: Instant;
      context: BookingContext;
    }
  | { type: 'ConfirmAppointment'; appointmentId: string; now: Instant }
  | { type: 'CheckInAppointment'; appointmentId: string; now: Instant }
  | { type: 'CompleteAppointment'; appointmentId: string; now: Instant }
  | { type: 'CancelAppointment'; appointmentId: string; reasonCode: CancellationReason; now: Instant }
  | { type: 'MarkNoShow'; appointmentId: string; now: Instant }
  | {
      type: 'RescheduleAppointment';
      appointmentId: string;
      start: Instant;
      providerId: string;
      roomId: string | null;
      deviceId: string | null;
      now: Instant;
      /** Looked up afresh: the treatment's current terms apply to the new time. */
      context: BookingContext;
    };

type Active = Exclude<AppointmentState, { status: 'none' }>;
type Status = Active['status'];

/** The appointment, if its status is one of `allowed`; FAILED_PRECONDITION naming the status otherwise. */
function requireStatus(state: AppointmentState, allowed: readonly Status[]): Active {
  if (state.status === 'none') throw errors.notFound('APPOINTMENT_NOT_FOUND', 'No such appointment');
  if (allowed.includes(state.status)) return state;
  throw errors.precondition(
    `APPOINTMENT_${state.status.toUpperCase()}`,
    `Not allowed: the appointment is ${state.status.replace('_', ' ')}`,
  );
}

const at = (now: Instant) => toInstant(parseInstant(now, 'now'));

export function decideAppointment(command: AppointmentCommand, state: AppointmentState): AppointmentEvent[] {
  switch (command.type) {
    case 'BookAppointment': {
      const appointmentId = requireId(command.appointmentId, 'appointmentId');
      const patientId = requireId(command.patientId, 'patientId');
      const booking = assessBooking(command, command.context);
      if (state.status !== 'none') {
        throw errors.conflict('APPOINTMENT_ALREADY_EXISTS', 'An appointment with this id already exists');
      }
      const { treatment } = booking;
      const data = {
        appointmentId,
        patientId,
        locationId: command.locationId.toLowerCase(),
        treatmentId: treatment.treatmentId,
        providerId: command.providerId.toLowerCase(),
        roomId: command.roomId?.toLowerCase() ?? null,
        deviceId: command.deviceId?.toLowerCase() ?? null,
        start: booking.start,
        end: booking.end,
        holds: booking.holds,
        price: treatment.price,
        deposit: treatment.deposit,
        bookedAt: at(command.now),
      };
      return [{ type: 'AppointmentBooked', data }];
    }
    case 'ConfirmAppointment': {
      const appt = requireStatus(state, ['booked', 'confirmed']);
      if (appt.status === 'confirmed') return [];
      return [
        {
          type: 'AppointmentConfirmed',
          data: { appointmentId: appt.appointmentId, confirmedAt: at(command.now) },
        },
      ];
    }
    case 'CheckInAppointment': {
      const appt = requireStatus(state, ['booked', 'confirmed', 'checked_in']);
      if (appt.status === 'checked_in') return [];
      return [
        {
          type: 'AppointmentCheckedIn',
          data: { appointmentId: appt.appointmentId, checkedInAt: at(command.now) },
        },
      ];
    }
    case 'CompleteAppointment': {
      if (state.status === 'booked' || state.status === 'confirmed') {
        throw errors.precondition(
          'APPOINTMENT_NOT_CHECKED_IN',
          'Only a checked-in appointment can be completed',
        );
      }
      const appt = requireStatus(state, ['checked_in', 'completed']);
      if (appt.status === 'completed') return [];
      return [
        {
          type: 'AppointmentCompleted',
          data: { appointmentId: appt.appointmentId, completedAt: at(command.now) },
        },
      ];
    }
    case 'CancelAppointment': {
      if (!CANCELLATION_REASONS.includes(command.reasonCode)) {
        throw errors.validation('INVALID_REASON_CODE', 'Unknown cancellation reason', {
          violations: [
            { field: 'reasonCode', message: `expected one of ${CANCELLATION_REASONS.join(', ')}` },
          ],
        });
      }
      const appt = requireStatus(state, ['booked', 'confirmed', 'cancelled']);
      if (appt.status === 'cancelled') return [];
      const data = {
        appointmentId: appt.appointmentId,
        reasonCode: command.reasonCode,
        cancelledAt: at(command.now),
      };
      return [{ type: 'AppointmentCancelled', data }];
    }
    case 'MarkNoShow': {
      const appt = requireStatus(state, ['booked', 'confirmed', 'no_show']);
      if (appt.status === 'no_show') return [];
      const nowMs = parseInstant(command.now, 'now');
      if (nowMs < Date.parse(appt.start)) {
        throw errors.precondition(
          'APPOINTMENT_NOT_STARTED',
          'A no-show can only be marked after the start time',
        );
      }
      return [
        {
          type: 'AppointmentMarkedNoShow',
          data: { appointmentId: appt.appointmentId, markedAt: toInstant(nowMs) },
        },
      ];
    }
    case 'RescheduleAppointment': {
      const appt = requireStatus(state, ['booked', 'confirmed']);
      const booking = assessBooking(
        { ...command, locationId: appt.locationId, treatmentId: appt.treatmentId },
        command.context,
      );
      const moved = {
        providerId: command.providerId.toLowerCase(),
        roomId: command.roomId?.toLowerCase() ?? null,
        deviceId: command.deviceId?.toLowerCase() ?? null,
        start: booking.start,
      };
      const same = (['providerId', 'roomId', 'deviceId', 'start'] as const).every(
        (k) => moved[k] === appt[k],
      );
      if (same) return [];
      const data = {
        appointmentId: appt.appointmentId,
        ...moved,
        end: booking.end,
        holds: booking.holds,
        previousStart: appt.start,
        rescheduledAt: at(command.now),
      };
      return [{ type: 'AppointmentRescheduled', data }];
    }
    default: {
      const _exhaustive: never = command;
      return [];
    }
  }
}

/** The appointment decider: one stream per appointment. */
export const appointment: Decider<AppointmentCommand, AppointmentEvent, AppointmentState> = {
  initialState: initialAppointmentState,
  evolve: evolveAppointment,
  decide: decideAppointment,
};
