import { cpus, loadavg } from 'node:os';
import { defineBenchmark } from '../lib/benchmark.js';
import { log } from '../lib/emit.js';
import { databaseUrl, startBenchPostgres } from '../lib/postgres.js';
import { createAuditDatabase } from './database.js';
import { runIngest } from './ingest.js';
import { runQuery } from './query.js';
import { runVerify } from './verify.js';

const PARTS = ['ingest', 'verify', 'query'] as const;

/** BENCH_AUDIT_ONLY=ingest,verify,query runs a subset; all by default. */
function selectedParts(): Set<string> {
  const only = process.env.BENCH_AUDIT_ONLY?.split(',').map((p) => p.trim()) ?? [...PARTS];
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`BENCH_AUDIT_ONLY: unknown ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  return new Set(only);
}

export default defineBenchmark({
  description:
    'audit log: ingest through the real consumers, verification of signed chains, patient queries over 5M entries',
  async run() {
    const parts = selectedParts();
    log(
      `machine: ${cpus().length} cores, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const postgres = await startBenchPostgres();
    const db = await createAuditDatabase(postgres.url, 'audit_bench');
    // The superuser in the audit database: provisions producers, bulk-loads the query data set.
    const adminUrl = databaseUrl(postgres.url, 'audit_bench');
    if (parts.has('ingest')) await runIngest(adminUrl, db.appUrl);
    if (parts.has('verify')) await runVerify(db.appUrl);
    if (parts.has('query')) await runQuery(adminUrl, db.appUrl);
  },
});
