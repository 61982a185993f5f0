import { quoteIdent, withTenant, type Pool } from '@medspa/db';

/** The ids of a patient's encounters, oldest first. */
export async function encounterIdsOf(pool: Pool, schema: string, tenantId: string, patientId: string) {
  return withTenant(pool, tenantId, async (db) => {
    const { rows } = await db.query<{ encounter_id: string }>(
      `SELECT encounter_id FROM ${quoteIdent(schema)}.encounter_directory
        WHERE tenant_id = $1 AND patient_id = $2 ORDER BY opened_at, encounter_id`,
      [tenantId, patientId],
    );
    return rows.map((r) => r.encounter_id);
  });
}
