import type { ClientBase, Pool } from 'pg';
import type { AddSubjectKeyResult, KeyStore, StoredSubject } from './key-store.js';
import { ensureSubjectKeyIn, lockSubject } from './pg-ensure-subject-key.js';

type SubjectKeyOps = Pick<
  KeyStore<ClientBase>,
  | 'loadSubject'
  | 'loadSubjects'
  | 'addSubjectKey'
  | 'addSubjectKeys'
  | 'listSubjectKeysBelowTek'
  | 'replaceSubjectWrapping'
  | 'shredSubject'
  | 'shredTenant'
  | 'ensureSubjectKey'
>;

interface SubjectKeyRow {
  subject_id: string;
  version: number;
  wrapped_key: Buffer;
  tek_version: number;
}

const FOREIGN_KEY_VIOLATION = '23503';

/** The Patient-key half of the Postgres key store; `s` is the quoted schema. */
export function createPgSubjectKeys(pool: Pool, s: string): SubjectKeyOps {
  return {
    ensureSubjectKey: ensureSubjectKeyIn(s),

    async loadSubject(tenantId, subjectId) {
      const { rows } = await pool.query<{
        version: number | null;
        wrapped_key: Buffer | null;
        tek_version: number | null;
        shredded_at: Date | null;
      }>(
        `SELECT version, wrapped_key, tek_version, NULL::timestamptz AS shredded_at
           FROM ${s}.crypto_subject_keys WHERE tenant_id = $1 AND subject_id = $2
         UNION ALL
         SELECT NULL, NULL, NULL, shredded_at
           FROM ${s}.crypto_shredded_subjects WHERE tenant_id = $1 AND subject_id = $2`,
        [tenantId, subjectId],
      );
      const subject: StoredSubject = { shreddedAt: null, keys: [] };
      for (const r of rows) {
        if (r.shredded_at !== null) subject.shreddedAt = r.shredded_at;
        else if (r.version !== null && r.wrapped_key !== null && r.tek_version !== null) {
          subject.keys.push({ version: r.version, wrappedKey: r.wrapped_key, tekVersion: r.tek_version });
        }
      }
      // A tombstone wins even over a key row, whatever raced.
      if (subject.shreddedAt !== null) subject.keys = [];
      return subject;
    },

    async loadSubjects(tenantId, subjectIds) {
      const { rows } = await pool.query<{
        subject_id: string;
        version: number | null;
        wrapped_key: Buffer | null;
        tek_version: number | null;
        shredded_at: Date | null;
      }>(
        `SELECT subject_id, version, wrapped_key, tek_version, NULL::timestamptz AS shredded_at
           FROM ${s}.crypto_subject_keys WHERE tenant_id = $1 AND subject_id = ANY($2::uuid[])
         UNION ALL
         SELECT subject_id, NULL, NULL, NULL, shredded_at
           FROM ${s}.crypto_shredded_subjects WHERE tenant_id = $1 AND subject_id = ANY($2::uuid[])`,
        [tenantId, subjectIds],
      );
      const found = new Map<string, StoredSubject>(
        subjectIds.map((id) => [id, { shreddedAt: null, keys: [] }]),
      );
      for (const r of rows) {
        const subject = found.get(r.subject_id);
        if (subject === undefined) continue;
        if (r.shredded_at !== null) subject.shreddedAt = r.shredded_at;
        else if (r.version !== null && r.wrapped_key !== null && r.tek_version !== null) {
          subject.keys.push({ version: r.version, wrappedKey: r.wrapped_key, tekVersion: r.tek_version });
        }
      }
      // A tombstone wins even over a key row, whatever raced.
      for (const subject of found.values()) if (subject.shreddedAt !== null) subject.keys = [];
      return found;
    },

    async addSubjectKey(tenantId, subjectId, key) {
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        await lockSubject(tx, s, tenantId, subjectId);
        const { rows } = await tx.query<{ shredded: boolean; tek_version: number | null }>(
          `SELECT EXISTS (SELECT 1 FROM ${s}.crypto_shredded_subjects WHERE tenant_id = $1 AND subject_id = $2)
                    AS shredded,
                  (SELECT tek_version FROM ${s}.crypto_tenants WHERE tenant_id = $1 AND shredded_at IS NULL)
                    AS tek_version`,
          [tenantId, subjectId],
        );
        const state = rows[0];
        let result: 'added' | 'exists' | 'shredded' | 'stale_tek';
        if (state?.shredded === true) result = 'shredded';
        else if (state?.tek_version !== key.tekVersion) result = 'stale_tek';
        else {
          const inserted = await tx.query(
            `INSERT INTO ${s}.crypto_subject_keys (tenant_id, subject_id, version, wrapped_key, tek_version)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
            [tenantId, subjectId, key.version, key.wrappedKey, key.tekVersion],
          );
          result = inserted.rowCount === 1 ? 'added' : 'exists';
        }
        await tx.query('COMMIT');
        return result;
      } catch (e) {
        await tx.query('ROLLBACK').catch(() => undefined);
        // The TEK was dropped by a rotation or a Tenant shred that committed meanwhile.
        if ((e as { code?: string }).code === FOREIGN_KEY_VIOLATION) return 'stale_tek';
        throw e;
      } finally {
        tx.release();
      }
    },

    async addSubjectKeys(tenantId, keys) {
      const results = new Map<string, AddSubjectKeyResult>();
      if (keys.length === 0) return results;
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        // The same lock as addSubjectKey and shredSubject, taken in one order by every batch so
        // that two batches never wait on each other crosswise.
        await tx.query(
          `SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
             FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k OFFSET 0) AS ordered`,
          [keys.map((k) => `${s}|${tenantId}|${k.subjectId}`)],
        );
        const { rows } = await tx.query<{ shredded: string[]; tek_version: number | null }>(
          `SELECT ARRAY(SELECT subject_id::text FROM ${s}.crypto_shredded_subjects
                         WHERE tenant_id = $1 AND subject_id = ANY($2::uuid[])) AS shredded,
                  (SELECT tek_version FROM ${s}.crypto_tenants WHERE tenant_id = $1 AND shredded_at IS NULL)
                    AS tek_version`,
          [tenantId, keys.map((k) => k.subjectId)],
        );
        const shredded = new Set(rows[0]?.shredded ?? []);
        const tekVersion = rows[0]?.tek_version ?? null;
        const toInsert = keys.filter((k) => {
          if (shredded.has(k.subjectId)) results.set(k.subjectId, 'shredded');
          else if (tekVersion !== k.key.tekVersion) results.set(k.subjectId, 'stale_tek');
          else return true;
          return false;
        });
        if (toInsert.length > 0) {
          const inserted = await tx.query<{ subject_id: string }>(
            `INSERT INTO ${s}.crypto_subject_keys (tenant_id, subject_id, version, wrapped_key, tek_version)
             SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::bytea[], $5::int[])
             ON CONFLICT DO NOTHING RETURNING subject_id`,
            [
              tenantId,
              toInsert.map((k) => k.subjectId),
              toInsert.map((k) => k.key.version),
              toInsert.map((k) => k.key.wrappedKey),
              toInsert.map((k) => k.key.tekVersion),
            ],
          );
          const added = new Set(inserted.rows.map((r) => r.subject_id));
          for (const k of toInsert) results.set(k.subjectId, added.has(k.subjectId) ? 'added' : 'exists');
        }
        await tx.query('COMMIT');
        return results;
      } catch (e) {
        await tx.query('ROLLBACK').catch(() => undefined);
        // The TEK was dropped by a rotation or a Tenant shred that committed meanwhile.
        if ((e as { code?: string }).code === FOREIGN_KEY_VIOLATION) {
          return new Map(keys.map((k) => [k.subjectId, 'stale_tek' as const]));
        }
        throw e;
      } finally {
        tx.release();
      }
    },

    async listSubjectKeysBelowTek(tenantId, tekVersion, limit) {
      const { rows } = await pool.query<SubjectKeyRow>(
        `SELECT subject_id, version, wrapped_key, tek_version FROM ${s}.crypto_subject_keys
          WHERE tenant_id = $1 AND tek_version < $2 LIMIT $3`,
        [tenantId, tekVersion, limit],
      );
      return rows.map((r) => ({
        subjectId: r.subject_id,
        version: r.version,
        wrappedKey: r.wrapped_key,
        tekVersion: r.tek_version,
      }));
    },

    async replaceSubjectWrapping(tenantId, subjectId, old, next) {
      const { rowCount } = await pool.query(
        `UPDATE ${s}.crypto_subject_keys SET wrapped_key = $5, tek_version = $6, rewrapped_at = now()
          WHERE tenant_id = $1 AND subject_id = $2 AND version = $3 AND tek_version = $4`,
        [tenantId, subjectId, old.version, old.tekVersion, next.wrappedKey, next.tekVersion],
      );
      return rowCount === 1;
    },

    async shredSubject(tx, tenantId, subjectId) {
      await lockSubject(tx, s, tenantId, subjectId);
      const tombstone = await tx.query<{ shredded_at: Date }>(
        // Idempotent without needing UPDATE on tombstones: the CTE's insert and the plain SELECT see
        // one snapshot, so exactly one of them yields the row.
        `WITH inserted AS (
           INSERT INTO ${s}.crypto_shredded_subjects (tenant_id, subject_id) VALUES ($1, $2)
           ON CONFLICT DO NOTHING RETURNING shredded_at)
         SELECT shredded_at FROM inserted
         UNION ALL
         SELECT shredded_at FROM ${s}.crypto_shredded_subjects WHERE tenant_id = $1 AND subject_id = $2`,
        [tenantId, subjectId],
      );
      const deleted = await tx.query(
        `DELETE FROM ${s}.crypto_subject_keys WHERE tenant_id = $1 AND subject_id = $2`,
        [tenantId, subjectId],
      );
      return { dekVersions: deleted.rowCount ?? 0, shreddedAt: tombstone.rows[0]?.shredded_at ?? new Date() };
    },

    async shredTenant(tx, tenantId) {
      const marked = await tx.query<{ shredded_at: Date }>(
        `UPDATE ${s}.crypto_tenants SET shredded_at = coalesce(shredded_at, now()) WHERE tenant_id = $1
         RETURNING shredded_at`,
        [tenantId],
      );
      const shreddedAt = marked.rows[0]?.shredded_at;
      if (shreddedAt === undefined) return undefined;
      const deleted = await tx.query(`DELETE FROM ${s}.crypto_subject_keys WHERE tenant_id = $1`, [tenantId]);
      await tx.query(`DELETE FROM ${s}.crypto_tenant_keys WHERE tenant_id = $1`, [tenantId]);
      await tx.query(`DELETE FROM ${s}.crypto_blind_index_keys WHERE tenant_id = $1`, [tenantId]);
      return { dekVersions: deleted.rowCount ?? 0, shreddedAt };
    },
  };
}
