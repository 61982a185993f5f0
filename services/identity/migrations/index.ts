import { sqlMigrationsIn, type Migration } from '@medspa/db';
import { cryptoKeyTablesSql } from '@medspa/crypto';
import { eventStoreMigrationSql } from '@medspa/eventstore';
import { messagingMigrationSql } from '@medspa/messaging';
import { projectionsMigrationSql } from '@medspa/projections';

/** Identity's schema: the libs' tables first (0001..0004), then this folder's numbered files. */
export function migrations(schema: string): Migration[] {
  return [
    { id: '0001_event_store', sql: eventStoreMigrationSql(schema) },
    { id: '0002_messaging', sql: messagingMigrationSql(schema) },
    { id: '0003_projections', sql: projectionsMigrationSql(schema) },
    { id: '0004_crypto_keys', sql: cryptoKeyTablesSql(schema) },
    ...sqlMigrationsIn(new URL('.', import.meta.url)),
  ];
}
