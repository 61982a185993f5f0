import { AppointmentStatus, type Appointment } from '@medspa/contracts/medspa.scheduling.v1';
import type { AppointmentState } from '../../domain/index.js';

type Active = Exclude<AppointmentState, { status: 'none' }>;

const STATUS: Record<Active['status'], AppointmentStatus> = {
  booked: AppointmentStatus.APPOINTMENT_STATUS_BOOKED,
  confirmed: AppointmentStatus.APPOINTMENT_STATUS_CONFIRMED,
  checked_in: AppointmentStatus.APPOINTMENT_STATUS_CHECKED_IN,
  completed: AppointmentStatus.APPOINTMENT_STATUS_COMPLETED,
  cancelled: AppointmentStatus.APPOINTMENT_STATUS_CANCELLED,
  no_show: AppointmentStatus.APPOINTMENT_STATUS_NO_SHOW,
};

/** An appointment as the API shows it: ids, times, codes and the quoted price. */
export function toAppointmentMessage(state: Active, version: number): Appointment {
  return {
    appointmentId: state.appointmentId,
    patientId: state.patientId,
    locationId: state.locationId,
    treatmentId: state.treatmentId,
    providerId: state.providerId,
    roomId: state.roomId ?? '',
    deviceId: state.deviceId ?? '',
    start: new Date(state.start),
    end: new Date(state.end),
    status: STATUS[state.status],
    cancellationReason: state.status === 'cancelled' ? state.reasonCode : '',
    price: state.price,
    deposit: state.deposit ?? undefined,
    version,
  };
}
