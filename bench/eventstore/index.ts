import { cpus, loadavg } from 'node:os';
import { defineBenchmark } from '../lib/benchmark.js';
import { log } from '../lib/emit.js';
import { logTopStatements, startBenchPostgres } from '../lib/postgres.js';
import { runAppendSuite } from './append-suite.js';
import { rawBaselineSql } from './contenders.js';
import { createDatabase, createEmmettDatabase, provisionStore } from './databases.js';
import { runFlow } from './flow.js';
import { payloadSizes } from './payload.js';
import { runReplay } from './replay.js';

const PARTS = ['append', 'replay', 'flow'] as const;

/** BENCH_EVENTSTORE_ONLY=append,replay,flow runs a subset (while profiling); all by default. */
function selectedParts(): Set<string> {
  const only = process.env.BENCH_EVENTSTORE_ONLY?.split(',').map((p) => p.trim()) ?? [...PARTS];
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`BENCH_EVENTSTORE_ONLY: unknown ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  return new Set(only);
}

export default defineBenchmark({
  description: 'our store vs Emmett vs raw INSERT: appends, 1M replay, projection catch-up, relay to Kafka',
  async run() {
    const parts = selectedParts();
    const sizes = payloadSizes();
    const load = loadavg().map((l) => l.toFixed(2));
    log(
      `machine: ${cpus().length} cores, load ${load.join(' ')}; event ${sizes.data} B + metadata ${sizes.metadata} B`,
    );
    const statements = process.env.BENCH_PG_STAT_STATEMENTS === '1';
    const postgres = await startBenchPostgres({ preload: statements ? ['pg_stat_statements'] : [] });
    const oursDb = await createDatabase(postgres.url, 'medspa_bench');

    if (parts.has('append')) {
      const store = await provisionStore(oursDb, 'bench_store', () => [
        { id: '0002_raw_baseline', sql: rawBaselineSql },
      ]);
      await runAppendSuite({
        ours: { url: store.appUrl, schema: store.schema },
        emmett: { url: await createEmmettDatabase(postgres.url), schema: 'public' },
      });
    }
    if (parts.has('replay')) {
      const replay = await provisionStore(oursDb, 'bench_replay');
      await runReplay({ url: replay.appUrl, schema: replay.schema, adminUrl: oursDb });
    }
    if (parts.has('flow')) await runFlow(oursDb);
    if (statements) await logTopStatements(postgres.url);
  },
});
