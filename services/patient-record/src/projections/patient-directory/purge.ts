import { quoteIdent, type Queryable } from '@medspa/db';

/** Every read-model table keyed by patient: all of them are purged on erasure. */
const READ_MODEL_TABLES = [
  'patient_directory',
  'patient_search_tokens',
  'encounter_directory',
  'encounter_charts',
  'patient_documents',
];

/**
 * Deletes every read-model row of a patient: run inside the crypto-shredding transaction (the
 * keyring's onSubjectShredded hook), so keys, directory rows and index tokens go together.
 */
export async function purgePatientReadModels(
  db: Queryable,
  schema: string,
  tenantId: string,
  patientId: string,
): Promise<void> {
  const s = quoteIdent(schema);
  // The shred transaction may not be scoped to the tenant yet; RLS would hide every row.
  await db.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
  for (const table of READ_MODEL_TABLES) {
    await db.query(`DELETE FROM ${s}.${quoteIdent(table)} WHERE tenant_id = $1 AND patient_id = $2`, [
      tenantId,
      patientId,
    ]);
  }
}

/** Deletes every read-model row of a tenant, inside the tenant-shredding transaction. */
export async function purgeTenantReadModels(db: Queryable, schema: string, tenantId: string): Promise<void> {
  const s = quoteIdent(schema);
  await db.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
  for (const table of READ_MODEL_TABLES) {
    await db.query(`DELETE FROM ${s}.${quoteIdent(table)} WHERE tenant_id = $1`, [tenantId]);
  }
}
