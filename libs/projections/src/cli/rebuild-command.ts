import { parseArgs } from 'node:util';
import { createPool, type Pool } from '@medspa/db';
import { createEventStore, type EventStore } from '@medspa/eventstore';
import { createLogger } from '@medspa/observability';
import type { Projection } from '../projection.js';
import { rebuildProjection, type RebuildResult } from '../rebuild.js';

/** What a service hands to the rebuild command: its schema, its projections and how to open its store. */
export interface RebuildTarget {
  schema: string;
  projections: readonly Projection[];
  /** The service's store over a pool (with its upcasters and PHI codec); a plain store when omitted. */
  createStore?: (pool: Pool) => Pick<EventStore, 'schema' | 'readAll' | 'probeNews'>;
}

const USAGE = 'usage: rebuild --projection <name>   (env: DATABASE_URL, MIGRATION_DATABASE_URL)';

/**
 * The `rebuild` subcommand of a service (`main.ts rebuild <name>` or `--projection <name>`, see
 * runServiceMain): empties one read model as the schema owner, replays the log into it as the app
 * role and prints the rate. Throws, listing every problem, on a bad name or missing URL.
 */
export async function runRebuildCommand(
  args: readonly string[],
  target: RebuildTarget,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RebuildResult> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { projection: { type: 'string' }, 'batch-size': { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const name = typeof values.projection === 'string' ? values.projection : positionals[0];
  const projection = target.projections.find((p) => p.name === name);
  const appUrl = env.DATABASE_URL;
  const ownerUrl = env.MIGRATION_DATABASE_URL;
  const problems = [
    ...(projection === undefined
      ? [
          `unknown projection ${name ?? '(none)'}; one of: ${target.projections.map((p) => p.name).join(', ')}`,
        ]
      : []),
    ...(appUrl ? [] : ['DATABASE_URL is required (the app role: projections write with RLS on)']),
    ...(ownerUrl ? [] : ['MIGRATION_DATABASE_URL is required (the schema owner truncates the read model)']),
  ];
  if (projection === undefined || !appUrl || !ownerUrl) throw new Error([...problems, USAGE].join('\n'));
  const pool = createPool(appUrl, { applicationName: `rebuild:${projection.name}`, max: 4 });
  try {
    const store = target.createStore?.(pool) ?? createEventStore(pool, { schema: target.schema });
    console.log(
      `rebuilding ${projection.name} (tables: ${projection.tables.join(', ')}) from the start of the log`,
    );
    const result = await rebuildProjection({
      ownerUrl,
      pool,
      store,
      projection,
      logger: createLogger({ service: `rebuild:${projection.name}`, level: 'warn' }),
      ...(typeof values['batch-size'] === 'string' ? { batchSize: Number(values['batch-size']) } : {}),
    });
    console.log(
      `rebuilt ${result.projection}: ${result.events} events in ${(result.catchUpMs / 1000).toFixed(2)} s ` +
        `(${result.eventsPerSecond} events/s; reset took ${result.resetMs} ms)`,
    );
    console.log(JSON.stringify({ rebuild: result }));
    return result;
  } finally {
    await pool.end();
  }
}
