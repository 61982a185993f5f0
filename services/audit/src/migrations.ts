import { sqlMigrationsIn, type Migration } from '@medspa/db';
import { messagingMigrationSql } from '@medspa/messaging';

/** The audit service's schema. Its migrations name it (and the `audit_app` role) directly. */
export const AUDIT_SCHEMA = 'audit';

/**
 * The numbered migrations of the audit schema, to run as `audit_owner`: the store
 * (services/audit/migrations), then the consumers' bookkeeping from libs/messaging
 * (`processed_messages`, `tail_checkpoints`, `dead_letters`) for ingest. Ids sort in apply order:
 * the next SQL file in migrations/ is 0003_*, since 0002 is taken here.
 */
export const auditMigrations = (): Migration[] => [
  ...sqlMigrationsIn(new URL('../migrations/', import.meta.url)),
  { id: '0002_messaging', sql: messagingMigrationSql(AUDIT_SCHEMA) },
];
