import { quoteIdent, withTenant, type Pool } from '@medspa/db';

/** The ids of a patient's documents of one kind, oldest first. */
export async function documentIdsOf(
  pool: Pool,
  schema: string,
  q: { tenantId: string; patientIds: string[]; kind: 'consent_document' | 'intake_form' },
): Promise<string[]> {
  return withTenant(pool, q.tenantId, async (db) => {
    const { rows } = await db.query<{ document_id: string }>(
      `SELECT document_id FROM ${quoteIdent(schema)}.patient_documents
        WHERE tenant_id = $1 AND patient_id = ANY($2::uuid[]) AND kind = $3
        ORDER BY recorded_at, document_id`,
      [q.tenantId, q.patientIds, q.kind],
    );
    return rows.map((r) => r.document_id);
  });
}
