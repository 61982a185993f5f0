import { sqlMigrationsIn, type Migration } from '@medspa/db';
import { eventStoreMigrationSql } from '@medspa/eventstore';
import { messagingMigrationSql } from '@medspa/messaging';
import { projectionsMigrationSql } from '@medspa/projections';

/** Scheduling's migrations: the libs' tables first, then this folder's numbered read models. */
export const migrations = (schema: string): Migration[] => [
  { id: '0001_event_store', sql: eventStoreMigrationSql(schema) },
  { id: '0002_messaging', sql: messagingMigrationSql(schema) },
  { id: '0003_projections', sql: projectionsMigrationSql(schema) },
  ...sqlMigrationsIn(new URL('.', import.meta.url)),
];
