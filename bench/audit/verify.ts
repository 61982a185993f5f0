import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  createAuditStore,
  createCheckpointer,
  createInMemorySigner,
  pgLogSource,
  verifyChain,
  verifyChainParallel,
  type VerifyReport,
} from '@medspa/audit';
import { accessRecords } from './records.js';
import { createPool } from '@medspa/db';
import { onCleanup } from '../lib/cleanup.js';
import { emit, log } from '../lib/emit.js';
import { microsPerItem, startCpuMeter, trackBackends } from '../lib/proc-cpu.js';
import { config } from './config.js';

const BATCH = 1000;

/**
 * `audit.verify`: `verifyChain` over one clinic's chain of `verifyEntries` real entries (appended
 * through the store, checkpoints signed every `checkpointEvery` by the checkpointer, as the service
 * does): every entry's bytes hashed onto its predecessor, every checkpoint's signature checked.
 * One long chain is the hard case: different clinics' chains verify independently anyway.
 */
export async function runVerify(appUrl: string): Promise<void> {
  const pool = createPool(appUrl, { applicationName: 'bench-audit-verify', max: 8 });
  onCleanup(() => pool.end());
  const backends = trackBackends(pool);
  const signer = createInMemorySigner();
  const store = createAuditStore(pool);
  const checkpointer = createCheckpointer(pool, {
    signer,
    trustedKeys: signer.trustedKeys,
    everyEntries: config.checkpointEvery,
  });
  const tenantId = randomUUID();
  log(`verify: appending ${config.verifyEntries} entries to one chain`);
  const loadStarted = performance.now();
  for (let done = 0; done < config.verifyEntries; done += BATCH) {
    const outcome = await store.append(
      accessRecords(Math.min(BATCH, config.verifyEntries - done), tenantId, done),
    );
    await checkpointer.afterAppend(outcome.heads);
    if (done % 100_000 === 0 && done > 0) log(`verify: ${done} appended`);
  }
  await checkpointer.checkpoint(tenantId);
  log(`verify: loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s`);

  const source = pgLogSource(pool);
  const trustedKeys = signer.trustedKeys;
  const measure = async (
    name: string,
    verify: () => Promise<VerifyReport>,
    params: Record<string, unknown>,
  ) => {
    const cpu = startCpuMeter({ postgres: backends });
    const started = performance.now();
    const report = await verify();
    const elapsedMs = performance.now() - started;
    const used = cpu();
    if (!report.intact || report.lastSequence !== config.verifyEntries || report.unsignedEntries !== 0)
      throw new Error(`the chain did not verify: ${JSON.stringify(report)}`);
    emit({
      name,
      value: (config.verifyEntries * 1000) / elapsedMs,
      unit: 'entries/s',
      params: {
        ...params,
        entries: config.verifyEntries,
        checkpoints: report.checkpointsVerified,
        seconds: Math.round(elapsedMs / 100) / 10,
        // The workers' CPU is in `node` (threads of this process); their connections are not tracked.
        cpuUsPerEntry: microsPerItem(used, config.verifyEntries),
        target: '>= 300000',
      },
    });
  };
  await measure(
    'audit.verify',
    () => verifyChainParallel(source, tenantId, { trustedKeys, databaseUrl: appUrl, minEntries: 0 }),
    { mode: `segments between checkpoints on ${availableParallelism()} worker threads` },
  );
  await measure('audit.verify.sequential', () => verifyChain(source, tenantId, { trustedKeys }), {
    mode: 'one thread (verifyChain)',
  });
}
