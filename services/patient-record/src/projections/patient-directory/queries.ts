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
  return withTenant(pool, q.tenantId, async (db) => {
    const { rows } = await db.query<{
      patient_id: string;
      active: boolean;
      name_ct: string;
      date_of_birth_ct: string;
      phone_ct: string | null;
    }>(
      `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::text[]) AS w(kind, token)),
            hits AS (
              SELECT t.patient_id FROM ${s}.patient_search_tokens t
                JOIN wanted w ON w.kind = t.kind AND w.token = t.token
               WHERE t.tenant_id = $1 AND ($4::uuid IS NULL OR t.patient_id > $4::uuid)
               GROUP BY t.patient_id
              HAVING count(*) = (SELECT count(*) FROM wanted)
               -- The page is cut here, before the join: a 3-letter prefix can match thousands of
               -- patients, and the token index already yields them in id order.
               ORDER BY t.patient_id LIMIT $5)
       SELECT d.patient_id, d.active, d.name_ct, d.date_of_birth_ct, d.phone_ct
         FROM hits h JOIN ${s}.patient_directory d ON d.tenant_id = $1 AND d.patient_id = h.patient_id
        ORDER BY d.patient_id`,
      [q.tenantId, q.tokens.map((t) => t.kind), q.tokens.map((t) => t.token), q.after ?? null, q.limit],
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
