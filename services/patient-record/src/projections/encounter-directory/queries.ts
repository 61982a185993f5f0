import { quoteIdent, withTenant, type Pool } from '@medspa/db';

/**
 * The ids of the encounters of one patient, or of several (a survivor and the duplicates merged
 * into it, whose charts keep the duplicate's id), oldest first.
 */
export async function encounterIdsOf(
  pool: Pool,
  schema: string,
  tenantId: string,
  patientIds: string | readonly string[],
) {
  const ids = typeof patientIds === 'string' ? [patientIds] : patientIds;
  return withTenant(pool, tenantId, async (db) => {
    const { rows } = await db.query<{ encounter_id: string }>(
      `SELECT encounter_id FROM ${quoteIdent(schema)}.encounter_directory
        WHERE tenant_id = $1 AND patient_id = ANY($2::uuid[]) ORDER BY opened_at, encounter_id`,
      [tenantId, ids],
    );
    return rows.map((r) => r.encounter_id);
  });
}

/**
 * Whether the patient's stream exists in the caller's tenant (as `requireStreamOf` tells it: the
 * first event's clear tenant and patient id) and, in the same statement, the ids of the patient's
 * encounters, oldest first: opening a chart checks and lists in one tenant-scoped round trip. The
 * ids are returned only after the caller has authorised the read; they are not PHI either way.
 */
export async function chartIndexOf(
  pool: Pool,
  schema: string,
  q: { tenantId: string; patientId: string; patientStreamId: string },
): Promise<{ patientFound: boolean; encounterIds: string[] }> {
  const s = quoteIdent(schema);
  return withTenant(pool, q.tenantId, async (db) => {
    const { rows } = await db.query<{ patient_found: boolean | null; encounter_ids: string[] }>({
      // Named: prepared once per connection, not planned again on every opening.
      name: `chart-index/${schema}`,
      text: `SELECT (SELECT metadata->>'tenantId' = $1::text AND data->>'patientId' IS NOT NULL
                       FROM ${s}.events WHERE stream_id = $3 AND stream_version = 1) AS patient_found,
                    ARRAY(SELECT encounter_id::text FROM ${s}.encounter_directory
                           WHERE tenant_id = $1::uuid AND patient_id = $2::uuid
                           ORDER BY opened_at, encounter_id) AS encounter_ids`,
      values: [q.tenantId, q.patientId, q.patientStreamId],
    });
    const row = rows[0];
    return { patientFound: row?.patient_found === true, encounterIds: row?.encounter_ids ?? [] };
  });
}
