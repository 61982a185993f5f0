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
  return withTenant(pool, q.tenantId, async (db) => {
    const { rows } = await db.query<{
      patient_id: string;
      active: boolean;
      name_ct: string;
      date_of_birth_ct: string;
      phone_ct: string | null;
    }>({
      // Named: prepared once per connection (one statement per number of tokens), not planned again.
      name: `patient-search-${q.tokens.length}-tokens/${schema}`,
      text: searchSql(schema, q.tokens.length),
      values: [q.tenantId, q.after ?? NIL_UUID, q.limit, ...q.tokens.flatMap((t) => [t.kind, t.token])],
    });
    return rows.map((r) => ({
      patientId: r.patient_id,
      active: r.active,
      nameCt: r.name_ct,
      dateOfBirthCt: r.date_of_birth_ct,
      phoneCt: r.phone_ct,
    }));
  });
}

/**
 * Each token's index entries come in patient id order, so the patients carrying all of them are a
 * merge join of those ordered lists that stops at the page's last row: no grouping of every patient
 * of every token (a 3-letter prefix matches thousands), and one token reads just its first rows.
 * Only `count` shapes the text; every value is a parameter.
 */
function searchSql(schema: string, count: number): string {
  const s = quoteIdent(schema);
  const tokens = Array.from({ length: count }, (_, i) => `t${i}`);
  const joins = tokens
    .slice(1)
    .map(
      (t) =>
        `JOIN ${s}.patient_search_tokens ${t} ON ${t}.tenant_id = $1 AND ${t}.patient_id = t0.patient_id`,
    )
    .join('\n');
  const where = tokens
    .map((t, i) => `${t}.kind = $${4 + 2 * i} AND ${t}.token = $${5 + 2 * i} AND ${t}.patient_id > $2::uuid`)
    .join('\n AND ');
  return `SELECT d.patient_id, d.active, d.name_ct, d.date_of_birth_ct, d.phone_ct
  FROM ${s}.patient_search_tokens t0
  ${joins}
  JOIN ${s}.patient_directory d ON d.tenant_id = $1 AND d.patient_id = t0.patient_id
 WHERE t0.tenant_id = $1 AND ${where}
 ORDER BY t0.patient_id LIMIT $3`;
}

/** Below every patient id: the first page starts after it (and the index can seek to it). */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
