import { quoteIdent, withTenant, type Pool } from '@medspa/db';
import { recordedEventOf, type EventRow, type RecordedEvent } from '@medspa/eventstore';

/** One encounter of a chart as stored: its sealed fold (if projected yet) and the events after it. */
export interface StoredEncounter {
  encounterId: string;
  /** The sealed chart and the stream version it reflects; undefined: fold the whole stream. */
  sealed?: { version: number; chart: string };
  /** Events recorded after `sealed.version` (after 0 without it), in stream order, still sealed. */
  newer: RecordedEvent[];
}

/** A chart row: an encounter's sealed chart (event columns null) or one of its newer events. */
type Row = Omit<EventRow, 'event_id'> & {
  patient_found: boolean | null;
  encounter_id: string | null;
  chart_ct: string | null;
  event_id: string | null;
};

/**
 * Everything opening a chart reads, in ONE tenant-scoped statement: whether the patient's stream
 * exists in the caller's tenant (its first event's clear tenant and patient id), the patient's
 * encounters oldest first with their sealed charts, and each encounter's events newer than its
 * sealed chart. One snapshot for all of it, so an event committed before the call is on the
 * chart even when the projection has not reached it (read-your-writes). Nothing here is
 * decrypted, and the caller uses none of it before it has authorised the read.
 */
export async function chartOf(
  pool: Pool,
  schema: string,
  q: { tenantId: string; patientId: string; patientStreamId: string; encounterStreamPrefix: string },
): Promise<{ patientFound: boolean; encounters: StoredEncounter[] }> {
  const s = quoteIdent(schema);
  const { rows } = await withTenant(pool, q.tenantId, (db) =>
    db.query<Row>({
      // Named: prepared once per connection, not planned again on every opening.
      name: `chart-open/${schema}`,
      text: `WITH listed AS (
               SELECT d.encounter_id, d.opened_at, c.version, c.chart_ct
                 FROM ${s}.encounter_directory d
                 LEFT JOIN ${s}.encounter_charts c ON c.tenant_id = d.tenant_id AND c.encounter_id = d.encounter_id
                WHERE d.tenant_id = $1::uuid AND d.patient_id = $2::uuid)
             SELECT p.patient_found, x.* FROM
               (SELECT (SELECT metadata->>'tenantId' = $1::text AND data->>'patientId' IS NOT NULL
                          FROM ${s}.events WHERE stream_id = $3 AND stream_version = 1) AS patient_found) p
             LEFT JOIN (
               SELECT l.encounter_id::text, l.opened_at, COALESCE(l.version, 0) AS stream_version, l.chart_ct,
                      NULL::uuid AS event_id, NULL::text AS event_type, NULL::integer AS schema_version,
                      NULL::jsonb AS data, NULL::jsonb AS metadata, NULL::text AS stream_id,
                      NULL::text AS stream_type, NULL::bigint AS global_position,
                      NULL::text AS transaction_id, NULL::timestamptz AS recorded_at
                 FROM listed l
               UNION ALL
               SELECT l.encounter_id::text, l.opened_at, e.stream_version, NULL, e.event_id, e.event_type,
                      e.schema_version, e.data, e.metadata, e.stream_id, e.stream_type, e.global_position,
                      e.transaction_id::text, e.recorded_at
                 FROM listed l
                 JOIN ${s}.events e
                   ON e.stream_id = $4 || l.encounter_id::text
                  AND e.stream_version > COALESCE(l.version, 0)
             ) x ON true
             ORDER BY x.opened_at, x.encounter_id, x.stream_version`,
      values: [q.tenantId, q.patientId, q.patientStreamId, q.encounterStreamPrefix],
    }),
  );
  const encounters: StoredEncounter[] = [];
  for (const r of rows) {
    if (r.encounter_id === null) continue; // the patient has no encounters (or was not found)
    if (r.event_id === null) {
      encounters.push({
        encounterId: r.encounter_id,
        ...(r.chart_ct === null ? {} : { sealed: { version: r.stream_version, chart: r.chart_ct } }),
        newer: [],
      });
      continue;
    }
    // As the store reads it (the service registers no upcasters).
    encounters.at(-1)!.newer.push(recordedEventOf({ ...r, event_id: r.event_id }));
  }
  return { patientFound: rows[0]?.patient_found === true, encounters };
}
