import pg from 'pg';
import { quoteIdent, type Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import type { Logger, Metrics } from '@medspa/observability';
import { resetCheckpoint } from './checkpoints.js';
import type { Projection } from './projection.js';
import { createProjectionRunner } from './runner.js';

export interface ResetProjectionOptions {
  /** The schema owner's URL (`MIGRATION_DATABASE_URL`): TRUNCATE needs the owner, and ignores RLS. */
  ownerUrl: string;
  schema: string;
  projection: Pick<Projection, 'name' | 'tables'>;
  /** How long TRUNCATE may wait for readers of the tables before giving up. Default 10 s. */
  lockTimeout?: string;
}

/**
 * Empties a read model and puts its checkpoint back to the start of the log, in one transaction as
 * the schema owner. A DELETE by the app role would only see one tenant's rows (FORCE'd RLS);
 * TRUNCATE is not subject to row-level security. Runners that are running start over on their own.
 */
export async function resetProjection(options: ResetProjectionOptions): Promise<void> {
  const { schema, projection } = options;
  const tables = projection.tables.map((t) => `${quoteIdent(schema)}.${quoteIdent(t)}`);
  const client = new pg.Client({
    connectionString: options.ownerUrl,
    application_name: `rebuild:${projection.name}`,
  });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('lock_timeout', $1, true)`, [options.lockTimeout ?? '10s']);
    if (tables.length > 0) await client.query(`TRUNCATE ${tables.join(', ')}`);
    await resetCheckpoint(client, schema, projection.name);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}

export interface RebuildProjectionOptions {
  ownerUrl: string;
  /** The service's app-role pool: the rebuild projects with RLS on, exactly as the runner does. */
  pool: Pool;
  /** The service's store (with its upcasters and codec). */
  store: Pick<EventStore, 'schema' | 'readAll' | 'probeNews'>;
  projection: Projection;
  batchSize?: number;
  timeoutMs?: number;
  logger?: Logger;
  metrics?: Metrics;
}

export interface RebuildResult {
  projection: string;
  /** Events of the projection's stream types read from the log. */
  events: number;
  resetMs: number;
  catchUpMs: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds a read model from zero: reset (see resetProjection), then run it until it reaches the
 * head. If a service replica already leads the projection, that one replays and this one waits.
 */
export async function rebuildProjection(options: RebuildProjectionOptions): Promise<RebuildResult> {
  const { projection, store } = options;
  const started = performance.now();
  await resetProjection({ ownerUrl: options.ownerUrl, schema: store.schema, projection });
  const resetAt = performance.now();
  const runner = createProjectionRunner({
    pool: options.pool,
    store,
    projections: [projection],
    batchSize: options.batchSize ?? 2000,
    pollIntervalMs: 5,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  runner.start();
  try {
    await runner.catchUp({ timeoutMs: options.timeoutMs ?? 30 * 60_000 });
  } finally {
    await runner.stop();
  }
  const doneAt = performance.now();
  const events = await countEvents(options.pool, store.schema, projection.streamTypes);
  const catchUpMs = doneAt - resetAt;
  return {
    projection: projection.name,
    events,
    resetMs: Math.round(resetAt - started),
    catchUpMs: Math.round(catchUpMs),
    eventsPerSecond: Math.round(events / Math.max(catchUpMs / 1000, 0.001)),
  };
}

async function countEvents(pool: Pool, schema: string, streamTypes?: readonly string[]): Promise<number> {
  const res = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${quoteIdent(schema)}.events
     WHERE $1::text[] IS NULL OR stream_type = ANY($1::text[])`,
    [streamTypes ? [...streamTypes] : null],
  );
  return res.rows[0]?.n ?? 0;
}
