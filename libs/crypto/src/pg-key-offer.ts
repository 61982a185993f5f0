import { quoteIdent } from '@medspa/db';
import type { StoredSubjectKey, WriteCondition } from './key-store.js';

const FUNCTION = 'crypto_offer_subject_key';
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Migration SQL (a service's numbered migration, after `cryptoKeyTablesSql`): the function behind
 * `KeyStore.offerSubjectKey` on Postgres. It takes the Patient's shred lock (the key `lockSubject`
 * uses), then, in a later statement and so with a snapshot that sees a shred committed while it
 * waited (READ COMMITTED; a VOLATILE function's statements each take a fresh one), inserts the key
 * offered when the Patient has none, is not shredded and the key is wrapped under the Tenant's
 * current TEK. True only when it went in; commits nothing itself.
 */
export function cryptoKeyOfferSql(schema: string): string {
  const s = quoteIdent(schema);
  return `
CREATE FUNCTION ${s}.${FUNCTION}(p_tenant uuid, p_subject uuid, p_version integer, p_wrapped bytea, p_tek integer)
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(${literal(`${s}|`)} || p_tenant::text || '|' || p_subject::text, 0));
  INSERT INTO ${s}.crypto_subject_keys (tenant_id, subject_id, version, wrapped_key, tek_version)
  SELECT p_tenant, p_subject, p_version, p_wrapped, p_tek
   WHERE NOT EXISTS (SELECT 1 FROM ${s}.crypto_shredded_subjects WHERE tenant_id = p_tenant AND subject_id = p_subject)
     AND NOT EXISTS (SELECT 1 FROM ${s}.crypto_subject_keys WHERE tenant_id = p_tenant AND subject_id = p_subject)
     AND EXISTS (SELECT 1 FROM ${s}.crypto_tenants
                  WHERE tenant_id = p_tenant AND tek_version = p_tek AND shredded_at IS NULL)
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END $$;
`;
}

/** `KeyStore.offerSubjectKey` on Postgres: a call of the function above, for the write's statement. */
export const offerSubjectKeyIn =
  (s: string) =>
  (tenantId: string, subjectId: string, key: StoredSubjectKey): WriteCondition => ({
    name: 'crypto-key-offer',
    sql: (n) =>
      `${s}.${FUNCTION}($${n}::uuid, $${n + 1}::uuid, $${n + 2}::int, $${n + 3}::bytea, $${n + 4}::int)`,
    values: [tenantId, subjectId, key.version, key.wrappedKey, key.tekVersion],
  });
