import type { Migration } from '@medspa/db';
import { messagingMigrationSql } from '@medspa/messaging';

/**
 * The gateway's schema holds no records and no PHI: only the signal consumer's bookkeeping from
 * libs/messaging (`processed_messages`, `tail_checkpoints`, `dead_letters`), so that the libs'
 * consumers (Postgres tail or Kafka) resume where they stopped.
 */
export const gatewayMigrations = (schema: string): Migration[] => [
  { id: '0001_messaging', sql: messagingMigrationSql(schema) },
];
