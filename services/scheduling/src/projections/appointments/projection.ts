import { defineProjection } from '@medspa/projections';
import {
  evolveAppointment,
  initialAppointmentState,
  type AppointmentEvent,
  type AppointmentState,
} from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

// Appointments for the day calendar (by location and time) and a patient's upcoming and past
// list (by patient): the appointment's state, evolved by the domain, plus the columns they filter on.

const table = `${SCHEMA}.appointments`;

export const appointmentsProjection = defineProjection<AppointmentEvent>({
  name: 'appointments',
  streamTypes: ['appointment'],
  tables: ['appointments'],
  async apply(db, event) {
    const tenantId = event.metadata.tenantId;
    const found = await db.query<{ state: AppointmentState }>(
      `SELECT state FROM ${table} WHERE tenant_id = $1 AND appointment_id = $2`,
      [tenantId, event.data.appointmentId],
    );
    const before = found.rows[0]?.state ?? initialAppointmentState();
    const state = evolveAppointment(before, { type: event.type, data: event.data } as AppointmentEvent);
    if (state.status === 'none') return;
    await db.query(
      `INSERT INTO ${table} (tenant_id, appointment_id, patient_id, location_id, provider_id, room_id,
                             start_at, end_at, status, version, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (tenant_id, appointment_id) DO UPDATE SET
         provider_id = EXCLUDED.provider_id, room_id = EXCLUDED.room_id, start_at = EXCLUDED.start_at,
         end_at = EXCLUDED.end_at, status = EXCLUDED.status, version = EXCLUDED.version, state = EXCLUDED.state`,
      [
        tenantId,
        state.appointmentId,
        state.patientId,
        state.locationId,
        state.providerId,
        state.roomId,
        state.start,
        state.end,
        state.status,
        event.streamVersion,
        JSON.stringify(state),
      ],
    );
  },
});
