import type { ClientBase, Pool } from 'pg';
import { quoteIdent, withTransaction } from '@medspa/db';
import type { KekWrapping, KeyStore, StoredTenant, StoredTenantKey, TenantKeyKind } from './key-store.js';
import { offerSubjectKeyIn } from './pg-key-offer.js';
import { createPgSubjectKeys } from './pg-subject-keys.js';
import { withWriteTransaction } from './pg-write-transaction.js';

interface TenantRow {
  tek_version: number;
  shredded_at: Date | null;
  kind: TenantKeyKind | null;
  version: number | null;
  wrapped_key: Buffer | null;
  kek_id: string | null;
  kek_ref: string | null;
}

interface WrappingRow {
  kind: TenantKeyKind;
  tenant_id: string;
  version: number;
  wrapped_key: Buffer;
  kek_id: string;
  kek_ref: string;
}

export interface PgKeyStoreOptions {
  /** The schema has `cryptoKeyOfferSql`'s function: new Patients' keys go in their first write's statement. */
  offerSubjectKeys?: boolean;
}

/** The key store on PostgreSQL, in the tables `cryptoKeyTablesSql(schema)` creates. */
export function createPgKeyStore(
  pool: Pool,
  schema: string,
  options: PgKeyStoreOptions = {},
): KeyStore<ClientBase> {
  const s = quoteIdent(schema);
  const tableOf = (kind: TenantKeyKind): string =>
    kind === 'tek' ? `${s}.crypto_tenant_keys` : `${s}.crypto_blind_index_keys`;

  async function transaction<T>(fn: (tx: ClientBase) => Promise<T>, client?: ClientBase): Promise<T> {
    return client !== undefined ? fn(client) : withTransaction(pool, fn);
  }

  const insertKey = (tx: ClientBase, kind: TenantKeyKind, tenantId: string, key: StoredTenantKey) =>
    tx.query(
      `INSERT INTO ${tableOf(kind)} (tenant_id, version, wrapped_key, kek_id, kek_ref) VALUES ($1, $2, $3, $4, $5)`,
      [tenantId, key.version, key.wrappedKey, key.kekId, key.kekRef],
    );

  return {
    transaction,
    writeTransaction: (fn) => withWriteTransaction(pool, fn),
    ...createPgSubjectKeys(pool, s),
    ...(options.offerSubjectKeys === true ? { offerSubjectKey: offerSubjectKeyIn(s) } : {}),

    async loadTenant(tenantId) {
      const { rows } = await pool.query<TenantRow>(
        `SELECT t.tek_version, t.shredded_at, k.kind, k.version, k.wrapped_key, k.kek_id, k.kek_ref
           FROM ${s}.crypto_tenants t
           LEFT JOIN LATERAL (
             SELECT 'tek' AS kind, version, wrapped_key, kek_id, kek_ref
               FROM ${s}.crypto_tenant_keys WHERE tenant_id = t.tenant_id
             UNION ALL
             SELECT 'blind_index', version, wrapped_key, kek_id, kek_ref
               FROM ${s}.crypto_blind_index_keys WHERE tenant_id = t.tenant_id
           ) k ON true
          WHERE t.tenant_id = $1
          ORDER BY k.version`,
        [tenantId],
      );
      const first = rows[0];
      if (first === undefined) return undefined;
      const tenant: StoredTenant = {
        tenantId,
        tekVersion: first.tek_version,
        shreddedAt: first.shredded_at,
        teks: [],
        blindIndexKey: null,
      };
      for (const row of rows) {
        if (row.kind === null || row.version === null || row.wrapped_key === null) continue;
        const key = {
          version: row.version,
          wrappedKey: row.wrapped_key,
          kekId: row.kek_id ?? '',
          kekRef: row.kek_ref ?? '',
        };
        if (row.kind === 'tek') tenant.teks.push(key);
        else tenant.blindIndexKey = key; // ordered by version: the last one is current
      }
      return tenant;
    },

    async createTenant(tx, tenantId, tek, blindIndexKey) {
      const created = await tx.query(
        `INSERT INTO ${s}.crypto_tenants (tenant_id, tek_version) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [tenantId, tek.version],
      );
      if (created.rowCount !== 1) return false;
      await insertKey(tx, 'tek', tenantId, tek);
      await insertKey(tx, 'blind_index', tenantId, blindIndexKey);
      return true;
    },

    async addTek(tenantId, tek) {
      // One statement: the UPDATE's row lock makes a concurrent rotation re-check and find nothing.
      const { rowCount } = await pool.query(
        `WITH t AS (
           UPDATE ${s}.crypto_tenants SET tek_version = $2
            WHERE tenant_id = $1 AND tek_version = $2 - 1 AND shredded_at IS NULL
           RETURNING tenant_id)
         INSERT INTO ${s}.crypto_tenant_keys (tenant_id, version, wrapped_key, kek_id, kek_ref)
         SELECT tenant_id, $2, $3, $4, $5 FROM t`,
        [tenantId, tek.version, tek.wrappedKey, tek.kekId, tek.kekRef],
      );
      return rowCount === 1;
    },

    async dropTeksBelow(tenantId, version) {
      try {
        await pool.query(
          `DELETE FROM ${s}.crypto_tenant_keys k WHERE k.tenant_id = $1 AND k.version < $2
             AND NOT EXISTS (SELECT 1 FROM ${s}.crypto_subject_keys d
                              WHERE d.tenant_id = k.tenant_id AND d.tek_version = k.version)`,
          [tenantId, version],
        );
      } catch (e) {
        // A data key written under the old TEK meanwhile; the caller re-wraps and tries again.
        if ((e as { code?: string }).code === '23503') return false;
        throw e;
      }
      const left = await pool.query(
        `SELECT 1 FROM ${s}.crypto_tenant_keys WHERE tenant_id = $1 AND version < $2`,
        [tenantId, version],
      );
      return left.rowCount === 0;
    },

    async listKekWrappingsNotUnder(kekRef, limit) {
      const { rows } = await pool.query<WrappingRow>(
        `SELECT 'tek' AS kind, tenant_id, version, wrapped_key, kek_id, kek_ref
           FROM ${s}.crypto_tenant_keys WHERE kek_ref <> $1
         UNION ALL
         SELECT 'blind_index', tenant_id, version, wrapped_key, kek_id, kek_ref
           FROM ${s}.crypto_blind_index_keys WHERE kek_ref <> $1
         LIMIT $2`,
        [kekRef, limit],
      );
      return rows.map((r): KekWrapping => ({
        kind: r.kind,
        tenantId: r.tenant_id,
        version: r.version,
        wrappedKey: r.wrapped_key,
        kekId: r.kek_id,
        kekRef: r.kek_ref,
      }));
    },

    async replaceKekWrapping(old, next) {
      const { rowCount } = await pool.query(
        `UPDATE ${tableOf(old.kind)} SET wrapped_key = $4, kek_id = $5, kek_ref = $6, rewrapped_at = now()
          WHERE tenant_id = $1 AND version = $2 AND kek_ref = $3`,
        [old.tenantId, old.version, old.kekRef, next.wrappedKey, next.kekId, next.kekRef],
      );
      return rowCount === 1;
    },
  };
}
