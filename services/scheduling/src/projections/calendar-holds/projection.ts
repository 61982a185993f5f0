import { defineProjection } from '@medspa/projections';
import type { CalendarEvent } from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

// Held time per resource and local date: what availability search subtracts. The calendar streams
// stay the authority on overlaps; this is their queryable copy. A run of events is reduced to the
// last word on each hold (held, or released) and written in at most two statements.

const table = `${SCHEMA}.calendar_holds`;

interface Hold {
  resource_kind: string;
  resource_id: string;
  local_date: string;
  appointment_id: string;
  start_at: string | null;
  end_at: string | null;
}

export const calendarHoldsProjection = defineProjection<CalendarEvent>({
  name: 'calendar_holds',
  streamTypes: ['calendar'],
  tables: ['calendar_holds'],
  async applyBatch(db, events) {
    const tenantId = events[0]?.metadata.tenantId;
    const last = new Map<string, Hold>();
    for (const event of events) {
      // RecordedEvent keeps type and data apart; rejoined, the union narrows in the switch.
      const e = { type: event.type, data: event.data } as CalendarEvent;
      const d = e.data;
      const key = `${d.resourceKind}|${d.resourceId}|${d.localDate}|${d.appointmentId}`;
      const hold = {
        resource_kind: d.resourceKind,
        resource_id: d.resourceId,
        local_date: d.localDate,
        appointment_id: d.appointmentId,
      };
      switch (e.type) {
        case 'ResourceTimeHeld':
          last.set(key, { ...hold, start_at: e.data.start, end_at: e.data.end });
          break;
        case 'ResourceTimeReleased':
          last.set(key, { ...hold, start_at: null, end_at: null });
          break;
        default: {
          const _exhaustive: never = e;
        }
      }
    }
    const all = [...last.values()];
    const released = all.filter((h) => h.start_at === null);
    const held = all.filter((h) => h.start_at !== null);
    const recordset = `jsonb_to_recordset($2::jsonb) AS r(resource_kind text, resource_id uuid, local_date date,
                         appointment_id uuid, start_at timestamptz, end_at timestamptz)`;
    if (released.length > 0) {
      await db.query(
        `DELETE FROM ${table} h USING ${recordset}
          WHERE h.tenant_id = $1 AND h.resource_kind = r.resource_kind AND h.resource_id = r.resource_id
            AND h.local_date = r.local_date AND h.appointment_id = r.appointment_id`,
        [tenantId, JSON.stringify(released)],
      );
    }
    if (held.length > 0) {
      await db.query(
        `INSERT INTO ${table} (tenant_id, resource_kind, resource_id, local_date, appointment_id, start_at, end_at)
         SELECT $1, resource_kind, resource_id, local_date, appointment_id, start_at, end_at FROM ${recordset}
         ON CONFLICT (tenant_id, resource_kind, resource_id, local_date, appointment_id)
         DO UPDATE SET start_at = EXCLUDED.start_at, end_at = EXCLUDED.end_at`,
        [tenantId, JSON.stringify(held)],
      );
    }
  },
});
