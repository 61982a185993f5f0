import type { ClientBase, QueryResult } from 'pg';
import { errors } from '@medspa/errors';
import { UUID } from './ids.js';
import type { EnsuredSubject, StoredSubjectKey } from './key-store.js';
import { pendingBegin } from './pg-write-transaction.js';

/**
 * Creating a key and shredding the same Patient take this lock, so a key cannot be created between
 * the tombstone check and the insert while a shred commits (READ COMMITTED would allow it). The
 * check must be a later statement than the lock: its snapshot then sees what committed meanwhile.
 */
export const lockSubject = (tx: ClientBase, s: string, tenantId: string, subjectId: string) =>
  tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${s}|${tenantId}|${subjectId}`]);

interface EnsureRow {
  shredded_at: Date | null;
  tenant_tek: number | null;
  tenant_shredded: boolean | null;
  version: number | null;
  wrapped_key: Buffer | null;
  tek_version: number | null;
  added: boolean | null;
}

// One statement after the lock: the Patient's state, the insert when it has no key, and every key
// row (the insert's RETURNING plus the rows that were there: a CTE's insert is not visible to the
// same statement's reads).
const ensureSql = (s: string) => `
WITH state AS (
  SELECT (SELECT shredded_at FROM ${s}.crypto_shredded_subjects WHERE tenant_id = $1::uuid AND subject_id = $2::uuid)
           AS shredded_at,
         EXISTS (SELECT 1 FROM ${s}.crypto_subject_keys WHERE tenant_id = $1::uuid AND subject_id = $2::uuid)
           AS has_key,
         t.tek_version AS tenant_tek, t.shredded_at IS NOT NULL AS tenant_shredded
    FROM (SELECT 1) one LEFT JOIN ${s}.crypto_tenants t ON t.tenant_id = $1::uuid
), ins AS (
  INSERT INTO ${s}.crypto_subject_keys (tenant_id, subject_id, version, wrapped_key, tek_version)
  SELECT $1::uuid, $2::uuid, $3::int, $4::bytea, $5::int FROM state
   WHERE state.shredded_at IS NULL AND NOT state.has_key AND NOT state.tenant_shredded AND state.tenant_tek = $5::int
  ON CONFLICT DO NOTHING
  RETURNING version, wrapped_key, tek_version
)
SELECT st.shredded_at, st.tenant_tek, st.tenant_shredded, k.version, k.wrapped_key, k.tek_version, k.added
  FROM state st
  LEFT JOIN (
    SELECT version, wrapped_key, tek_version, true AS added FROM ins
    UNION ALL
    SELECT version, wrapped_key, tek_version, false FROM ${s}.crypto_subject_keys
     WHERE tenant_id = $1::uuid AND subject_id = $2::uuid
  ) k ON st.shredded_at IS NULL`;

const FOREIGN_KEY_VIOLATION = '23503';

// The values travel as literals (below) so that lock and statement go in one simple query: one
// round trip for a new Patient's key instead of two. Only validated shapes are ever inlined.
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const uuidLiteral = (id: string): string => {
  if (!UUID.test(id)) throw errors.validation('INVALID_ID', 'A key id must be a UUID');
  return literal(id);
};
const intLiteral = (n: number): string => {
  if (!Number.isSafeInteger(n))
    throw errors.validation('INVALID_KEY_VERSION', 'A key version must be an integer');
  return String(n);
};

/**
 * `KeyStore.ensureSubjectKey` on Postgres, no commit: the lock, then the read-or-insert, as two
 * statements of one simple query. Each statement of a simple query takes its own snapshot, so the
 * second sees whatever committed while the first waited for the lock.
 */
export function ensureSubjectKeyIn(s: string) {
  const template = ensureSql(s);
  return async (
    tx: ClientBase,
    tenantId: string,
    subjectId: string,
    key: StoredSubjectKey,
  ): Promise<EnsuredSubject> => {
    const values = [
      uuidLiteral(tenantId),
      uuidLiteral(subjectId),
      intLiteral(key.version),
      `decode('${key.wrappedKey.toString('hex')}', 'hex')`,
      intLiteral(key.tekVersion),
    ];
    // A write transaction not yet begun (pg-write-transaction.ts) begins in this same round trip.
    const text = `${pendingBegin(tx)}SELECT pg_advisory_xact_lock(hashtextextended(${literal(`${s}|${tenantId}|${subjectId}`)}, 0));
${template.replace(/\$([1-5])\b/g, (_, n: string) => values[Number(n) - 1]!)}`;
    let rows: EnsureRow[];
    try {
      const results = (await tx.query(text)) as unknown as QueryResult<EnsureRow>[];
      rows = results.at(-1)?.rows ?? [];
    } catch (e) {
      // The TEK was dropped by a rotation or a Tenant shred that committed meanwhile; the
      // caller's transaction is aborted, so it is the caller's to retry.
      if ((e as { code?: string }).code === FOREIGN_KEY_VIOLATION) {
        throw errors.conflict('KEY_ROTATION_CONFLICT', 'Tenant keys changed during the write', { cause: e });
      }
      throw e;
    }
    const first = rows[0];
    const found: EnsuredSubject = {
      shreddedAt: first?.shredded_at ?? null,
      keys: [],
      added: false,
      tenant:
        first?.tenant_tek === null || first?.tenant_tek === undefined
          ? undefined
          : { tekVersion: first.tenant_tek, shredded: first.tenant_shredded === true },
    };
    for (const r of rows) {
      if (r.version === null || r.wrapped_key === null || r.tek_version === null) continue;
      found.keys.push({ version: r.version, wrappedKey: r.wrapped_key, tekVersion: r.tek_version });
      if (r.added === true) found.added = true;
    }
    return found;
  };
}
