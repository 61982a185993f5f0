import pg from 'pg';
import { pgCode, quoteIdent, schemaNameOf } from './sql.js';

export interface ServiceRoles {
  schema: string;
  ownerRole: string;
  appRole: string;
  /** Login URL of `<service>_owner`, which runs migrations. */
  ownerUrl: string;
  /** Login URL of `<service>_app`: not owner, not superuser, NOBYPASSRLS. */
  appUrl: string;
}

export interface ProvisionOptions {
  ownerPassword: string;
  appPassword: string;
  /** Longest a transaction may sit idle before Postgres ends it: one idle transaction stalls every gap-safe reader. */
  idleInTransactionTimeout?: string;
  statementTimeout?: string;
}

/** Replaces the credentials of a Postgres URL. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Creates (idempotently) the schema and the two login roles of a service in the database of
 * `adminUrl`, which must be a superuser's. Roles are cluster-wide, so concurrent provisioning of the
 * same service in several databases (parallel test files) is tolerated.
 */
export async function provisionService(
  adminUrl: string,
  service: string,
  options: ProvisionOptions,
): Promise<ServiceRoles> {
  const schema = schemaNameOf(service);
  const ownerRole = `${schema}_owner`;
  const appRole = `${schema}_app`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await ensureRole(
      client,
      ownerRole,
      options.ownerPassword,
      'NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS',
    );
    await ensureRole(client, appRole, options.appPassword, 'NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS');
    const [s, o, a] = [quoteIdent(schema), quoteIdent(ownerRole), quoteIdent(appRole)];
    const idle = options.idleInTransactionTimeout ?? '60s';
    const statement = options.statementTimeout ?? '30s';
    const database = quoteIdent(client.database ?? 'postgres');
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS ${s} AUTHORIZATION ${o};
      GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${o}, ${a};
      GRANT USAGE ON SCHEMA ${s} TO ${a};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${o} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${a};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${o} IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${a};
      ALTER DEFAULT PRIVILEGES FOR ROLE ${o} IN SCHEMA ${s} GRANT EXECUTE ON FUNCTIONS TO ${a};
    `);
    await alterRoleSettings(client, appRole, { schema, idle, statement });
    await alterRoleSettings(client, ownerRole, { schema, idle, statement: '0' });
    return {
      schema,
      ownerRole,
      appRole,
      ownerUrl: withCredentials(adminUrl, ownerRole, options.ownerPassword),
      appUrl: withCredentials(adminUrl, appRole, options.appPassword),
    };
  } finally {
    await client.end();
  }
}

async function ensureRole(
  client: pg.Client,
  role: string,
  password: string,
  attributes: string,
): Promise<void> {
  const r = quoteIdent(role);
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (exists.rowCount === 0) {
    try {
      await client.query(`CREATE ROLE ${r} LOGIN ${attributes}`);
    } catch (e) {
      // 42710 duplicate_object / 23505 unique_violation: another provisioner won the race.
      if (pgCode(e) !== '42710' && pgCode(e) !== '23505') throw e;
    }
  }
  await retryConcurrentUpdate(() =>
    client.query(`ALTER ROLE ${r} WITH LOGIN ${attributes} PASSWORD ${literal(password)}`),
  );
}

async function alterRoleSettings(
  client: pg.Client,
  role: string,
  s: { schema: string; idle: string; statement: string },
): Promise<void> {
  const r = quoteIdent(role);
  await retryConcurrentUpdate(async () => {
    await client.query(`ALTER ROLE ${r} SET search_path = ${quoteIdent(s.schema)}`);
    await client.query(`ALTER ROLE ${r} SET idle_in_transaction_session_timeout = ${literal(s.idle)}`);
    await client.query(`ALTER ROLE ${r} SET statement_timeout = ${literal(s.statement)}`);
  });
}

// ALTER ROLE on the same role from two sessions can fail with "tuple concurrently updated" (XX000).
async function retryConcurrentUpdate(fn: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fn();
      return;
    } catch (e) {
      if (pgCode(e) !== 'XX000' || attempt >= 5) throw e;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
