import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '@medspa/db';
import type { AuditRecord } from '../domain/audit-record.js';
import { createInMemorySigner } from '../signing/in-memory-signer.js';
import { createAuditStore } from '../store/append.js';
import { pgLogSource } from '../store/pg-log-source.js';
import { auditRecords } from '../testing/records.js';
import { verifyChain } from '../verify/verify-chain.js';

export interface ThroughputOptions {
  /** Entries per tenant chain. */
  perTenant: number;
  tenants: number;
  /** Records per append transaction, mixed across tenants as a consumer's batch would be. */
  batchSize: number;
  /** Concurrent appenders (consumers). */
  appenders: number;
}

export interface ThroughputFigures {
  entries: number;
  canonicalBytesPerEntry: number;
  appendPerSecond: number;
  /** One chain at a time: the speed a single tenant's verification runs at. */
  verifyPerSecond: number;
  /** Every chain at once: tenants' chains are independent, so verification parallelises. */
  verifyParallelPerSecond: number;
  verifyWithColumnsPerSecond: number;
  /** This process's CPU per entry: unlike rates, barely moved by other load on the machine. */
  appendCpuMicros: number;
  verifyCpuMicros: number;
}

const perSecond = (count: number, startedAt: bigint): number =>
  Math.round(count / (Number(process.hrtime.bigint() - startedAt) / 1e9));

const cpuMicros = (count: number, since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return Math.round(((used.user + used.system) / count) * 10) / 10;
};

/**
 * Appends `perTenant × tenants` entries through the real store (app role pool) and verifies them,
 * returning rates. A measurement aid; the platform benchmark suite lives in bench/.
 */
export async function measureThroughput(pool: Pool, options: ThroughputOptions): Promise<ThroughputFigures> {
  const tenants = Array.from({ length: options.tenants }, () => randomUUID());
  const perChain = tenants.map((t) => auditRecords(options.perTenant, t));
  // Interleave tenants so each batch touches many chains, as ingest from several topics does.
  const records: AuditRecord[] = [];
  for (let i = 0; i < options.perTenant; i++) for (const chain of perChain) records.push(chain[i]!);
  const batches: AuditRecord[][] = [];
  for (let i = 0; i < records.length; i += options.batchSize)
    batches.push(records.slice(i, i + options.batchSize));

  const store = createAuditStore(pool);
  let next = 0;
  const appendCpu = process.cpuUsage();
  const appendStarted = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: options.appenders }, async () => {
      for (let batch = batches[next++]; batch !== undefined; batch = batches[next++])
        await store.append(batch);
    }),
  );
  const appendPerSecond = perSecond(records.length, appendStarted);
  const appendCpuMicros = cpuMicros(records.length, appendCpu);

  const trustedKeys = createInMemorySigner().trustedKeys;
  const source = pgLogSource(pool);
  const verifyAll = async (checkColumns: boolean, parallel: boolean): Promise<number> => {
    const started = process.hrtime.bigint();
    const one = async (t: string) => {
      const report = await verifyChain(source, t, { trustedKeys, checkColumns });
      if (!report.intact || report.lastSequence !== options.perTenant)
        throw new Error(`Chain ${t} did not verify`);
    };
    if (parallel) await Promise.all(tenants.map(one));
    else for (const t of tenants) await one(t);
    return perSecond(records.length, started);
  };
  const bytes = await pool.query<{ avg: number }>(
    'SELECT avg(length(canonical))::float8 AS avg FROM audit.entries',
  );
  const verifyCpu = process.cpuUsage();
  const verifyPerSecond = await verifyAll(false, false);
  const verifyCpuMicros = cpuMicros(records.length, verifyCpu);
  return {
    entries: records.length,
    canonicalBytesPerEntry: Math.round(bytes.rows[0]?.avg ?? 0),
    appendPerSecond,
    verifyPerSecond,
    verifyParallelPerSecond: await verifyAll(false, true),
    verifyWithColumnsPerSecond: await verifyAll(true, false),
    appendCpuMicros,
    verifyCpuMicros,
  };
}

/** `AUDIT_APP_URL=postgres://audit_app:…@host/db tsx services/audit/src/bench/throughput.ts` on a migrated database. */
if (process.argv[1] === new URL(import.meta.url).pathname) {
  const url = process.env.AUDIT_APP_URL;
  if (url === undefined) throw new Error('Set AUDIT_APP_URL to the audit_app URL of a migrated database');
  const pool = createPool(url, { applicationName: 'audit-throughput', max: 8 });
  try {
    const figures = await measureThroughput(pool, {
      perTenant: 20_000,
      tenants: 10,
      batchSize: 1000,
      appenders: 2,
    });
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await pool.end();
  }
}
