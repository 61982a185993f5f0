import { defineProjection } from '@medspa/projections';
import {
  evolveAppointment,
  initialAppointmentState,
  type AppointmentEvent,
  type AppointmentState,
} from '../../domain/index.js';
import { SCHEMA } from '../schema.js';
import { applyToStateRows, type StateRows } from '../state-rows.js';

// Utilisation per provider and day: one row per appointment with the treatment minutes it books
// on its provider's local day (the provider's calendar day, as its hold names it). The query sums
// the rows; a reschedule moves the row, a cancellation marks it. The appointment state needed to
// evolve is the row's own copy, so this projection never depends on another's progress.

const rows: StateRows<AppointmentEvent, AppointmentState> = {
  table: `${SCHEMA}.provider_bookings`,
  idColumn: 'appointment_id',
  idOf: (e) => e.data.appointmentId,
  initial: initialAppointmentState,
  evolve: evolveAppointment,
  columns: { location_id: 'uuid', provider_id: 'uuid', local_date: 'date', minutes: 'int', status: 'text' },
  fixed: ['location_id'],
  toRow: (state) => {
    if (state.status === 'none') return null;
    const providerHold = state.holds.find((h) => h.resourceKind === 'provider');
    return {
      location_id: state.locationId,
      provider_id: state.providerId,
      local_date: providerHold?.localDate ?? state.start.slice(0, 10),
      minutes: Math.round((Date.parse(state.end) - Date.parse(state.start)) / 60_000),
      status: state.status,
    };
  },
};

export const utilisationProjection = defineProjection<AppointmentEvent>({
  name: 'utilisation',
  streamTypes: ['appointment'],
  tables: ['provider_bookings'],
  applyBatch: (db, events) => applyToStateRows(db, rows, events),
});
