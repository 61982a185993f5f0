import { createPool, type Pool } from '@medspa/db';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { eventStoreMigrationSql } from './schema.js';

/** A fresh database with an event store schema, and a pool connected as the service's app role. */
export async function createTestEventStoreDatabase(
  service = 'es_test',
): Promise<ServiceDatabase & { appPool: Pool }> {
  const db = await createServiceDatabase(service, (schema) => [
    { id: '0001_event_store', sql: eventStoreMigrationSql(schema) },
  ]);
  const appPool = createPool(db.appUrl, { applicationName: `${service}-test`, max: 20 });
  return {
    ...db,
    appPool,
    drop: async () => {
      await appPool.end();
      await db.drop();
    },
  };
}
