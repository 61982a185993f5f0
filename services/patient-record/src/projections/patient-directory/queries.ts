import { quoteIdent, withTenant, type Pool } from '@medspa/db';
import type { SearchKind } from './fields.js';

export interface DirectoryRow {
  patientId: string;
  active: boolean;
  nameCt: string;
  dateOfBirthCt: string;
  phoneCt: string | null;
}

export interface TokenQuery {
  tenantId: string;
  /** Every (kind, token) a patient must carry. */
  tokens: { kind: SearchKind; token: string }[];
  /** Exclusive: the last patient id of the previous page. */
  after: string | undefined;
  limit: number;
}

/**
 * Patients carrying all the tokens, in id order, with their directory rows (still encrypted):
 * the search runs on HMAC tokens alone; only the returned page is decrypted, by the caller.
 */
export async function findByTokens(pool: Pool, schema: string, q: TokenQuery): Promise<DirectoryRow[]> {
  const s = quoteIdent(schema);
  const [only] = q.tokens;
  // One token (a family-name prefix, a phone, a birth date): the token index yields its patients
  // in id order, so the page is its first rows. Several: every patient of every token, grouped.
  const single = q.tokens.length === 1 && only !== undefined;
  return withTenant(pool, q.tenantId, async (db) => {
    const { rows } = await db.query<{
      patient_id: string;
      active: boolean;
      name_ct: string;
      date_of_birth_ct: string;
      phone_ct: string | null;
    }>(
      single
        ? {
            // Named: prepared once per connection, so the search is not planned again each time.
            name: `patient-search-one-token/${schema}`,
            text: `SELECT d.patient_id, d.active, d.name_ct, d.date_of_birth_ct, d.phone_ct
                     FROM ${s}.patient_search_tokens t
                     JOIN ${s}.patient_directory d ON d.tenant_id = t.tenant_id AND d.patient_id = t.patient_id
                    WHERE t.tenant_id = $1 AND t.kind = $2 AND t.token = $3 AND t.patient_id > $4::uuid
                    ORDER BY t.patient_id LIMIT $5`,
            values: [q.tenantId, only.kind, only.token, q.after ?? NIL_UUID, q.limit],
          }
        : {
            name: `patient-search-tokens/${schema}`,
            text: `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::text[]) AS w(kind, token)),
                        hits AS (
                          SELECT t.patient_id FROM ${s}.patient_search_tokens t
                            JOIN wanted w ON w.kind = t.kind AND w.token = t.token
                           WHERE t.tenant_id = $1 AND t.patient_id > $4::uuid
                           GROUP BY t.patient_id
                          HAVING count(*) = (SELECT count(*) FROM wanted)
                           -- The page is cut here, before the join: a 3-letter prefix can match
                           -- thousands of patients.
                           ORDER BY t.patient_id LIMIT $5)
                   SELECT d.patient_id, d.active, d.name_ct, d.date_of_birth_ct, d.phone_ct
                     FROM hits h JOIN ${s}.patient_directory d ON d.tenant_id = $1 AND d.patient_id = h.patient_id
                    ORDER BY d.patient_id`,
            values: [
              q.tenantId,
              q.tokens.map((t) => t.kind),
              q.tokens.map((t) => t.token),
              q.after ?? NIL_UUID,
              q.limit,
            ],
          },
    );
    return rows.map((r) => ({
      patientId: r.patient_id,
      active: r.active,
      nameCt: r.name_ct,
      dateOfBirthCt: r.date_of_birth_ct,
      phoneCt: r.phone_ct,
    }));
  });
}

/** Below every patient id: the first page starts after it (and the index can seek to it). */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
