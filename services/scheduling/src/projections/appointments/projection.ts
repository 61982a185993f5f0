import { defineProjection } from '@medspa/projections';
import {
  evolveAppointment,
  initialAppointmentState,
  type AppointmentEvent,
  type AppointmentState,
} from '../../domain/index.js';
import { SCHEMA } from '../schema.js';
import { applyToStateRows, type StateRows } from '../state-rows.js';

// Appointments for the day calendar (by location and time) and a patient's upcoming and past
// list (by patient): the appointment's state, evolved by the domain, plus the columns they filter on.

const rows: StateRows<AppointmentEvent, AppointmentState> = {
  table: `${SCHEMA}.appointments`,
  idColumn: 'appointment_id',
  idOf: (e) => e.data.appointmentId,
  initial: initialAppointmentState,
  evolve: evolveAppointment,
  columns: {
    patient_id: 'uuid',
    location_id: 'uuid',
    provider_id: 'uuid',
    room_id: 'uuid',
    start_at: 'timestamptz',
    end_at: 'timestamptz',
    status: 'text',
    version: 'bigint',
  },
  fixed: ['patient_id', 'location_id'],
  toRow: (state, event) =>
    state.status === 'none'
      ? null
      : {
          patient_id: state.patientId,
          location_id: state.locationId,
          provider_id: state.providerId,
          room_id: state.roomId,
          start_at: state.start,
          end_at: state.end,
          status: state.status,
          version: event.streamVersion,
        },
};

export const appointmentsProjection = defineProjection<AppointmentEvent>({
  name: 'appointments',
  streamTypes: ['appointment'],
  tables: ['appointments'],
  applyBatch: (db, events) => applyToStateRows(db, rows, events),
});
