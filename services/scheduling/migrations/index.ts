import { sqlMigrationsIn, type Migration } from '@medspa/db';
import { eventStoreMigrationSql } from '@medspa/eventstore';
import { messagingMigrationSql } from '@medspa/messaging';
import { projectionsMigrationSql, tenantChangeNotifySql } from '@medspa/projections';
import { CALENDAR_CHANGES } from '../src/projections/schema.js';

/** Scheduling's migrations: the libs' tables first, then this folder's numbered read models. */
export const migrations = (schema: string): Migration[] => [
  { id: '0001_event_store', sql: eventStoreMigrationSql(schema) },
  { id: '0002_messaging', sql: messagingMigrationSql(schema) },
  { id: '0003_projections', sql: projectionsMigrationSql(schema) },
  ...sqlMigrationsIn(new URL('.', import.meta.url)),
  // The day calendar's read models announce each clinic's changes to the calendar caches.
  {
    id: '0006_calendar_changes',
    sql: tenantChangeNotifySql(schema, ['appointments', 'catalogue'], CALENDAR_CHANGES),
  },
];
