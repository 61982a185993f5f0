import type { CalendarHold } from '../calendar/calendar.js';
import type { Instant } from '../shared/instant.js';
import type { Money } from '../shared/money.js';

// An appointment's life: booked → confirmed → checked in → completed, or cancelled (with a reason
// code) or marked a no-show; a booked or confirmed appointment may be rescheduled, which makes it
// booked again (the patient confirms the new time). Events hold ids, times and codes only: the
// patient is an id, and the treatment an id on the clinic's menu.

/** Why an appointment was cancelled; codes, never free text (which could carry PHI). */
export type CancellationReason =
  | 'patient_request'
  | 'clinic_request'
  | 'provider_unavailable'
  | 'clinic_closure'
  | 'deposit_not_paid'
  | 'booked_in_error'
  | 'other';

export const CANCELLATION_REASONS: readonly CancellationReason[] = [
  'patient_request',
  'clinic_request',
  'provider_unavailable',
  'clinic_closure',
  'deposit_not_paid',
  'booked_in_error',
  'other',
];

export interface AppointmentDetails {
  appointmentId: string;
  patientId: string;
  locationId: string;
  treatmentId: string;
  providerId: string;
  roomId: string | null;
  deviceId: string | null;
  /** When the treatment starts and ends (buffers excluded). */
  start: Instant;
  end: Instant;
  /** The calendar time it holds (buffers included), per resource and local day. */
  holds: CalendarHold[];
  /** Price and deposit quoted at booking, so a later menu change does not reprice it. */
  price: Money;
  deposit: Money | null;
}

export type AppointmentEvent =
  | { type: 'AppointmentBooked'; data: AppointmentDetails & { bookedAt: Instant } }
  | { type: 'AppointmentConfirmed'; data: { appointmentId: string; confirmedAt: Instant } }
  | { type: 'AppointmentCheckedIn'; data: { appointmentId: string; checkedInAt: Instant } }
  | { type: 'AppointmentCompleted'; data: { appointmentId: string; completedAt: Instant } }
  | {
      type: 'AppointmentCancelled';
      data: { appointmentId: string; reasonCode: CancellationReason; cancelledAt: Instant };
    }
  | { type: 'AppointmentMarkedNoShow'; data: { appointmentId: string; markedAt: Instant } }
  | {
      type: 'AppointmentRescheduled';
      data: Pick<
        AppointmentDetails,
        'appointmentId' | 'providerId' | 'roomId' | 'deviceId' | 'start' | 'end' | 'holds'
      > & { previousStart: Instant; rescheduledAt: Instant };
    };

export type AppointmentStatus = 'booked' | 'confirmed' | 'checked_in' | 'completed' | 'no_show';

export type AppointmentState =
  | { status: 'none' }
  | ({ status: AppointmentStatus } & AppointmentDetails)
  | ({ status: 'cancelled'; reasonCode: CancellationReason } & AppointmentDetails);

export const initialAppointmentState = (): AppointmentState => ({ status: 'none' });

export function evolveAppointment(state: AppointmentState, event: AppointmentEvent): AppointmentState {
  if (event.type === 'AppointmentBooked') {
    const { bookedAt: _bookedAt, ...details } = event.data;
    return { status: 'booked', ...details };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AppointmentConfirmed':
      return { ...state, status: 'confirmed' };
    case 'AppointmentCheckedIn':
      return { ...state, status: 'checked_in' };
    case 'AppointmentCompleted':
      return { ...state, status: 'completed' };
    case 'AppointmentCancelled':
      return { ...state, status: 'cancelled', reasonCode: event.data.reasonCode };
    case 'AppointmentMarkedNoShow':
      return { ...state, status: 'no_show' };
    case 'AppointmentRescheduled': {
      const { previousStart: _previous, rescheduledAt: _at, ...moved } = event.data;
      return { ...state, ...moved, status: 'booked' };
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
