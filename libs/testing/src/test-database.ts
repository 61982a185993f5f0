import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminDatabaseUrl } from './provided-context.js';

export interface TestDatabase {
  /** Superuser URL of the new database. */
  url: string;
  name: string;
  /** Drops the database, closing any connections still open to it. */
  drop: () => Promise<void>;
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database with a random name in the shared test cluster, so test files running in
 * parallel never see each other's tables. Create it in beforeAll and drop it in afterAll. Roles are
 * cluster-wide, so whatever provisions roles in it must be idempotent.
 */
export async function createTestDatabase(adminUrl: string = adminDatabaseUrl()): Promise<TestDatabase> {
  const name = `test_${randomBytes(8).toString('hex')}`;
  await asAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await asAdmin(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}
