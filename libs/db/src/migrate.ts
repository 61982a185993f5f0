import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { quoteIdent } from './sql.js';

/** One numbered migration. Ids sort in the order they apply (`0001_event_store`). */
export interface Migration {
  id: string;
  sql: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

const MIGRATION_ID = /^\d{4}_[a-z0-9_]+$/;

/** Every `NNNN_name.sql` file of a folder, as migrations. */
export function sqlMigrationsIn(dir: URL | string): Migration[] {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  return readdirSync(path)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ''), sql: readFileSync(`${path}/${f}`, 'utf8') }));
}

const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Applies pending migrations in id order, each in its own transaction, as the schema owner.
 * A migration already applied whose text has since changed stops the run: migrations are never
 * edited after they land. An advisory lock serialises concurrent migrators (several pods, a Job).
 */
export async function migrate(
  ownerUrl: string,
  schema: string,
  migrations: Migration[],
): Promise<MigrationResult> {
  const ids = migrations.map((m) => m.id);
  for (const id of ids) if (!MIGRATION_ID.test(id)) throw new Error(`Bad migration id ${id}`);
  if (new Set(ids).size !== ids.length) throw new Error(`Duplicate migration ids in ${schema}`);
  const sorted = [...migrations].sort((a, b) => a.id.localeCompare(b.id));

  const s = quoteIdent(schema);
  const client = new pg.Client({ connectionString: ownerUrl, application_name: `migrate:${schema}` });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
      id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = await client.query<{ id: string; checksum: string }>(
      `SELECT id, checksum FROM ${s}.schema_migrations`,
    );
    const applied = new Map(done.rows.map((r) => [r.id, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const m of sorted) {
      const sum = checksum(m.sql);
      const previous = applied.get(m.id);
      if (previous !== undefined) {
        if (previous !== sum) throw new Error(`Migration ${schema}/${m.id} was edited after it was applied`);
        result.alreadyApplied.push(m.id);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path = ${s}`);
        await client.query(m.sql);
        await client.query(`INSERT INTO ${s}.schema_migrations (id, checksum) VALUES ($1, $2)`, [m.id, sum]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${schema}/${m.id} failed: ${(e as Error).message}`, { cause: e });
      }
      result.applied.push(m.id);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await client.end();
  }
}
