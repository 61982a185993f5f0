import { sqlMigrationsIn, type Migration } from '@medspa/db';
import { cryptoKeyOfferSql, cryptoKeyTablesSql } from '@medspa/crypto';
import { eventStoreMigrationSql } from '@medspa/eventstore';
import { messagingMigrationSql } from '@medspa/messaging';
import { projectionsMigrationSql } from '@medspa/projections';

/** Every migration of patient-record, in order: the libs' tables first, then this folder's files. */
export function migrations(schema: string): Migration[] {
  return [
    { id: '0001_event_store', sql: eventStoreMigrationSql(schema) },
    { id: '0002_messaging', sql: messagingMigrationSql(schema) },
    { id: '0003_projections', sql: projectionsMigrationSql(schema) },
    { id: '0004_crypto_keys', sql: cryptoKeyTablesSql(schema, { appRole: `${schema}_app` }) },
    ...sqlMigrationsIn(new URL('.', import.meta.url)),
    // A new patient's key stored within the statement of their registration (createSealingStore).
    { id: '0008_crypto_key_offer', sql: cryptoKeyOfferSql(schema) },
  ];
}
