import { createHash } from 'node:crypto';
import { migrate, provisionService, schemaNameOf, type Migration } from '@medspa/db';
import { createTestDatabase } from './test-database.js';

export interface ServiceDatabase {
  /** Superuser URL: for tests that must act as an attacker with direct database access. */
  adminUrl: string;
  ownerUrl: string;
  /** The service's own role: tests of grants and row-level security connect as this one. */
  appUrl: string;
  schema: string;
  drop(): Promise<void>;
}

// Roles are cluster-wide and shared by every test file (in several worker processes) of a run, so
// their passwords must agree without coordination: derived from the cluster's admin URL and the role.
const passwordFor = (adminUrl: string, role: string): string =>
  createHash('sha256')
    .update(`${new URL(adminUrl).host}|${role}`)
    .digest('hex')
    .slice(0, 24);

/**
 * A fresh database provisioned the way production is: the service's schema, its owner and app
 * roles, and its migrations applied as the owner.
 */
export async function createServiceDatabase(
  service: string,
  migrations: (schema: string) => Migration[],
): Promise<ServiceDatabase> {
  const db = await createTestDatabase();
  const schema = schemaNameOf(service);
  const roles = await provisionService(db.url, service, {
    ownerPassword: passwordFor(db.url, `${schema}_owner`),
    appPassword: passwordFor(db.url, `${schema}_app`),
  });
  await migrate(roles.ownerUrl, schema, migrations(schema));
  return { adminUrl: db.url, ownerUrl: roles.ownerUrl, appUrl: roles.appUrl, schema, drop: db.drop };
}
