import { randomBytes } from 'node:crypto';
import { migrate, provisionService, type ServiceRoles } from '@medspa/db';
import { auditMigrations } from '@medspa/audit';
import { adminQuery, databaseUrl } from '../lib/postgres.js';

const password = (): string => randomBytes(12).toString('hex');

/**
 * A database with the audit schema provisioned as production does it (`audit_owner` runs the
 * migrations, the benchmark connects as `audit_app`, as the service does).
 */
export async function createAuditDatabase(clusterUrl: string, name: string): Promise<ServiceRoles> {
  await adminQuery(clusterUrl, `CREATE DATABASE ${name}`);
  const adminUrl = databaseUrl(clusterUrl, name);
  // Roles are cluster-wide: create them once, give each database the same passwords.
  const roles = await provisionService(adminUrl, 'audit', { ownerPassword: secret, appPassword: secret });
  await migrate(roles.ownerUrl, roles.schema, auditMigrations());
  return roles;
}

const secret = password();
