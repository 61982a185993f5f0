import { quoteIdent } from '@medspa/db';

export interface KeyTablesOptions {
  /** The service's login role (`<service>_app`), granted what the key store needs and no more. */
  appRole?: string;
}

/**
 * Migration SQL for the key tables in `schema`, for a service to include in one of its numbered
 * migrations (verbatim: a migration is never edited after it lands, so later changes go in new ones).
 * Unlike events, these rows are updated (re-wrapping) and deleted (shredding) by design.
 */
export function cryptoKeyTablesSql(schema: string, options: KeyTablesOptions = {}): string {
  const s = quoteIdent(schema);
  const tenantKeyColumns = `
  tenant_id uuid NOT NULL REFERENCES ${s}.crypto_tenants (tenant_id),
  version integer NOT NULL CHECK (version > 0),
  wrapped_key bytea NOT NULL,
  kek_id text NOT NULL,
  kek_ref text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz,
  PRIMARY KEY (tenant_id, version)`;
  const sql = `
CREATE TABLE ${s}.crypto_tenants (
  tenant_id uuid PRIMARY KEY,
  tek_version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  shredded_at timestamptz
);

-- Tenant encryption keys (TEKs), wrapped by a KMS key-encryption key (KEK).
CREATE TABLE ${s}.crypto_tenant_keys (${tenantKeyColumns}
);
CREATE INDEX ON ${s}.crypto_tenant_keys (kek_ref);

-- HMAC keys of the blind indexes, wrapped by the KEK; kept apart from TEKs because rotating a TEK
-- must not change index values already stored.
CREATE TABLE ${s}.crypto_blind_index_keys (${tenantKeyColumns}
);
CREATE INDEX ON ${s}.crypto_blind_index_keys (kek_ref);

-- Patient data keys (DEKs), wrapped by a TEK. The foreign key stops a TEK version from being
-- dropped while a DEK still needs it, and a DEK from being written under a dropped TEK.
CREATE TABLE ${s}.crypto_subject_keys (
  tenant_id uuid NOT NULL,
  subject_id uuid NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  wrapped_key bytea NOT NULL,
  tek_version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz,
  PRIMARY KEY (tenant_id, subject_id, version),
  FOREIGN KEY (tenant_id, tek_version) REFERENCES ${s}.crypto_tenant_keys (tenant_id, version)
);
CREATE INDEX ON ${s}.crypto_subject_keys (tenant_id, tek_version);

-- Tombstones: a shredded Patient never gets a new key, and reads say "shredded", not "missing".
CREATE TABLE ${s}.crypto_shredded_subjects (
  tenant_id uuid NOT NULL,
  subject_id uuid NOT NULL,
  shredded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, subject_id)
);
`;
  if (options.appRole === undefined) return sql;
  const role = quoteIdent(options.appRole);
  return `${sql}
GRANT SELECT, INSERT, UPDATE ON ${s}.crypto_tenants TO ${role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ${s}.crypto_tenant_keys, ${s}.crypto_blind_index_keys,
  ${s}.crypto_subject_keys TO ${role};
GRANT SELECT, INSERT ON ${s}.crypto_shredded_subjects TO ${role};
`;
}
