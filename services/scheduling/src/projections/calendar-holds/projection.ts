import { defineProjection } from '@medspa/projections';
import type { CalendarEvent } from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

// Held time per resource and local date: what availability search subtracts. The calendar streams
// stay the authority on overlaps; this is their queryable copy.

const table = `${SCHEMA}.calendar_holds`;

export const calendarHoldsProjection = defineProjection<CalendarEvent>({
  name: 'calendar_holds',
  streamTypes: ['calendar'],
  tables: ['calendar_holds'],
  async apply(db, event) {
    const tenantId = event.metadata.tenantId;
    // RecordedEvent keeps type and data apart; rejoined, the union narrows in the switch.
    const e = { type: event.type, data: event.data } as CalendarEvent;
    switch (e.type) {
      case 'ResourceTimeHeld': {
        const d = e.data;
        await db.query(
          `INSERT INTO ${table} (tenant_id, resource_kind, resource_id, local_date, appointment_id, start_at, end_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id, resource_kind, resource_id, local_date, appointment_id)
           DO UPDATE SET start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at`,
          [tenantId, d.resourceKind, d.resourceId, d.localDate, d.appointmentId, d.start, d.end],
        );
        return;
      }
      case 'ResourceTimeReleased': {
        const d = e.data;
        await db.query(
          `DELETE FROM ${table}
            WHERE tenant_id = $1 AND resource_kind = $2 AND resource_id = $3 AND local_date = $4 AND appointment_id = $5`,
          [tenantId, d.resourceKind, d.resourceId, d.localDate, d.appointmentId],
        );
        return;
      }
      default: {
        const _exhaustive: never = e;
        return;
      }
    }
  },
});
