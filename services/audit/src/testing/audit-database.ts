import { createPool, type Pool } from '@medspa/db';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { auditMigrations } from '../migrations.js';

export interface AuditTestDatabase extends ServiceDatabase {
  /** Connected as `audit_app`, as the service runs. */
  appPool: Pool;
}

/** A fresh database with the audit schema migrated as production does it. */
export async function createAuditTestDatabase(): Promise<AuditTestDatabase> {
  const db = await createServiceDatabase('audit', () => auditMigrations());
  const appPool = createPool(db.appUrl, { applicationName: 'audit-test', max: 10 });
  return {
    ...db,
    appPool,
    drop: async () => {
      await appPool.end();
      await db.drop();
    },
  };
}
