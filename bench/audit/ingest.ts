import { randomUUID } from 'node:crypto';
import {
  createAuditStore,
  createCheckpointer,
  createInMemorySigner,
  createIngest,
  ingestPoolSize,
  type IngestTransport,
} from '@medspa/audit';
import { createPool } from '@medspa/db';
import { createLogger } from '@medspa/observability';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log, stderrDestination } from '../lib/emit.js';
import { microsPerItem, startCpuMeter, trackBackends } from '../lib/proc-cpu.js';
import { config } from './config.js';
import { createBenchProducer, writeAccesses, type BenchProducer } from './producers.js';

/**
 * `audit.ingest`: the producers' outboxes hold `ingestEvents` access events (written as services
 * write them); the service's ingest (`createIngest`: one Postgres-tail consumer per source, the
 * group commit, the store, the checkpointer) catches up on all of them. events/s from start to
 * the last message settled.
 */
export async function runIngest(adminUrl: string, appUrl: string): Promise<void> {
  const tenants = Array.from({ length: config.ingestTenants }, () => randomUUID());
  const producers: BenchProducer[] = [];
  // One at a time: concurrent GRANTs on the database fail with "tuple concurrently updated".
  for (let i = 0; i < config.ingestSources; i++)
    producers.push(await createBenchProducer(adminUrl, `audit-src-${i}`));
  const perSource = Math.ceil(config.ingestEvents / producers.length);
  const total = perSource * producers.length;
  log(`ingest: writing ${total} access events to ${producers.length} outboxes`);
  await Promise.all(producers.map((p) => writeAccesses(p, tenants, perSource)));

  const transport: IngestTransport = { kind: 'postgres-tail', pollIntervalMs: 20 };
  const storePool = createPool(appUrl, { applicationName: 'bench-audit-store', max: 8 });
  const consumerPool = createPool(appUrl, {
    applicationName: 'bench-audit-ingest',
    max: ingestPoolSize(producers.length, transport),
  });
  const backends = [trackBackends(storePool), trackBackends(consumerPool)];
  const signer = createInMemorySigner();
  const store = createAuditStore(storePool);
  await store.ensurePartitions();
  const checkpointer = createCheckpointer(storePool, {
    signer,
    trustedKeys: signer.trustedKeys,
    everyEntries: config.checkpointEvery,
  });
  let settled = 0;
  let parked = 0;
  let allSettled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allSettled = resolve));
  const ingest = createIngest({
    pool: consumerPool,
    store,
    checkpointer,
    sources: producers.map((p) => p.service),
    transport,
    maxBatch: 1000,
    logger: createLogger({ service: 'bench-audit', level: 'warn', destination: stderrDestination }),
    onSettled: (s) => {
      if (s.outcome === 'parked') parked++;
      if (++settled === total) allSettled();
    },
  });
  onCleanup(async () => {
    await ingest.stop();
    await Promise.all([storePool.end(), consumerPool.end()]);
  });
  const cpu = startCpuMeter({ postgres: () => backends.flatMap((b) => b()) });
  const started = performance.now();
  await ingest.start();
  const progress = setInterval(() => log(`ingest: ${settled}/${total}`), 5_000);
  await done;
  const elapsedMs = performance.now() - started;
  clearInterval(progress);
  const used = cpu();
  emit({
    name: 'audit.ingest',
    value: (total * 1000) / elapsedMs,
    unit: 'events/s',
    params: {
      transport: transport.kind,
      events: total,
      sources: producers.length,
      tenants: tenants.length,
      parked,
      seconds: Math.round(elapsedMs / 100) / 10,
      cpuUsPerEvent: microsPerItem(used, total),
      target: '>= 15000',
    },
  });
}
