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
