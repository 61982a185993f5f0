import { quoteIdent } from '@medspa/db';

/**
 * Migration SQL for the checkpoints of a service's projections: one row per projection, holding the
 * gap-safe position (transaction id, global position) of the last event its read model includes.
 * Not tenant data, so no row-level security. The app role reads, creates and advances rows but may
 * not delete them: a lost checkpoint would replay the log into a read model that already holds it.
 * Only the owner resets one, together with its tables (resetProjection).
 */
export function projectionsMigrationSql(schema: string): string {
  const s = quoteIdent(schema);
  const app = quoteIdent(`${schema}_app`);
  return `
CREATE TABLE ${s}.projection_checkpoints (
  name text PRIMARY KEY CHECK (name ~ '^[a-z_][a-z0-9_]{0,62}$'),
  transaction_id xid8 NOT NULL DEFAULT '0',
  position bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON ${s}.projection_checkpoints FROM ${app};
GRANT SELECT, INSERT, UPDATE ON ${s}.projection_checkpoints TO ${app};
`;
}
