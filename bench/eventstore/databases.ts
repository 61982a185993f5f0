import { randomBytes } from 'node:crypto';
import { migrate, provisionService, type Migration, type ServiceRoles } from '@medspa/db';
import { eventStoreMigrationSql } from '@medspa/eventstore';
import { adminQuery, databaseUrl } from '../lib/postgres.js';

const password = (): string => randomBytes(12).toString('hex');

/**
 * A service schema provisioned as production does it (schema, `<service>_owner` and `<service>_app`
 * roles, migrations applied as the owner) with the event store's migration plus `extra`. The
 * benchmarks connect as the app role, as a service would.
 */
export async function provisionStore(
  adminUrl: string,
  service: string,
  extra: (schema: string) => Migration[] = () => [],
): Promise<ServiceRoles> {
  const roles = await provisionService(adminUrl, service, {
    ownerPassword: password(),
    appPassword: password(),
  });
  await migrate(roles.ownerUrl, roles.schema, [
    { id: '0001_event_store', sql: eventStoreMigrationSql(roles.schema) },
    ...extra(roles.schema),
  ]);
  return roles;
}

/** A new database of the cluster; returns its superuser URL. */
export async function createDatabase(clusterUrl: string, name: string, owner?: string): Promise<string> {
  await adminQuery(clusterUrl, `CREATE DATABASE ${name}${owner === undefined ? '' : ` OWNER ${owner}`}`);
  return databaseUrl(clusterUrl, name);
}

/**
 * Emmett's own database, owned by a plain login role (no superuser, like our app role) that it
 * connects as; Emmett creates its tables in `public` on first migration.
 */
export async function createEmmettDatabase(clusterUrl: string): Promise<string> {
  const secret = password();
  await adminQuery(clusterUrl, `CREATE ROLE emmett_app LOGIN PASSWORD '${secret}'`);
  const url = new URL(await createDatabase(clusterUrl, 'emmett_bench', 'emmett_app'));
  url.username = 'emmett_app';
  url.password = secret;
  return url.toString();
}
