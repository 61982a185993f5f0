import { defineProjection } from '@medspa/projections';
import {
  evolveWaitlist,
  initialWaitlistState,
  type WaitlistEvent,
  type WaitlistState,
} from '../../domain/index.js';
import { SCHEMA } from '../schema.js';
import { applyToStateRows, type StateRows } from '../state-rows.js';

// The waitlist as the front desk sees it (by location and treatment, in priority order) and as a
// patient sees their own entries: the entry's state, evolved by the domain, plus filter columns.
// The cascade reads it to find candidates, then decides on each entry's stream (the authority).

const rows: StateRows<WaitlistEvent, WaitlistState> = {
  table: `${SCHEMA}.waitlist_entries`,
  idColumn: 'entry_id',
  idOf: (e) => e.data.entryId,
  initial: initialWaitlistState,
  evolve: evolveWaitlist,
  columns: {
    patient_id: 'uuid',
    location_id: 'uuid',
    treatment_id: 'uuid',
    status: 'text',
    priority: 'int',
    joined_at: 'timestamptz',
    version: 'bigint',
  },
  fixed: ['patient_id', 'location_id', 'treatment_id', 'priority', 'joined_at'],
  toRow: (state, event) =>
    state.status === 'none'
      ? null
      : {
          patient_id: state.patientId,
          location_id: state.locationId,
          treatment_id: state.treatmentId,
          status: state.status,
          priority: state.priority,
          joined_at: state.joinedAt,
          version: event.streamVersion,
        },
};

export const waitlistProjection = defineProjection<WaitlistEvent>({
  name: 'waitlist',
  streamTypes: ['waitlist'],
  tables: ['waitlist_entries'],
  applyBatch: (db, events) => applyToStateRows(db, rows, events),
});
