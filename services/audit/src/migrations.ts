import { sqlMigrationsIn, type Migration } from '@medspa/db';

/** The audit service's schema. Its migrations name it (and the `audit_app` role) directly. */
export const AUDIT_SCHEMA = 'audit';

/** The numbered SQL migrations of services/audit/migrations, to run as `audit_owner`. */
export const auditMigrations = (): Migration[] => sqlMigrationsIn(new URL('../migrations/', import.meta.url));
