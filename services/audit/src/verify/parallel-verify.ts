import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { genesisHash } from '../domain/chain-hash.js';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import { CheckpointFeed } from './checkpoint-feed.js';
import type { AuditLogSource } from './log-source.js';
import type { Segment, SegmentResult } from './segment-walk.js';
import type { VerifyReport } from './tamper.js';
import { verifyChain, type VerifyOptions } from './verify-chain.js';

export interface ParallelVerifyOptions extends VerifyOptions {
  /** Where the workers open their own connections (the service's DATABASE_URL). */
  databaseUrl: string;
  /** Segments hashed at once, each on a worker thread; default: the machine's cores. */
  workers?: number;
  /** Shorter chains are verified on this thread: a worker costs ~0.3 s to start. */
  minEntries?: number;
}

/**
 * `verifyChain`, with the hashing spread over cores. The checkpoint series is read and checked
 * here first (signatures, predecessors); the chain is then cut at checkpoints into segments, each
 * walked by a worker from its starting checkpoint's signed head and required to hash to every
 * checkpoint inside it and to end exactly at the next segment's start. Matched boundaries make
 * the segments one unbroken chain, as the sequential walk would have proven.
 *
 * Only an intact chain is reported from the segments. At the first sign of a problem (in the
 * series, in a segment, at the head) the chain is verified again sequentially, which locates and
 * classifies the tampering exactly as `verifyChain` does.
 */
export async function verifyChainParallel(
  source: AuditLogSource,
  chainId: string,
  options: ParallelVerifyOptions,
): Promise<VerifyReport> {
  const sequential = () => verifyChain(source, chainId, options);
  const workers = options.workers ?? availableParallelism();
  const [head, lastCheckpoint] = await Promise.all([
    source.head(chainId),
    source.lastCheckpointSequence(chainId),
  ]);
  const through = Math.max(head?.sequence ?? 0, lastCheckpoint);
  if (workers < 2 || options.checkColumns === true || through < (options.minEntries ?? 200_000))
    return sequential();
  if (head === undefined || head.sequence !== through) return sequential();

  const feed = new CheckpointFeed(source, chainId, options.trustedKeys, 1000, through);
  await feed.readBeyond(through);
  if (feed.problem !== undefined) return sequential();
  const checkpoints: Checkpoint[] = [];
  for (let c = feed.take(); c !== undefined; c = feed.take()) checkpoints.push(c);

  const segments = cutIntoSegments(chainId, checkpoints, through, workers);
  const results = await Promise.all(segments.map((s) => walkInWorker(options.databaseUrl, s)));
  const last = results.at(-1);
  if (last === undefined || results.some((r) => !r.intact) || !last.lastHash.equals(head.hash)) {
    return sequential();
  }
  const signedThrough = checkpoints.at(-1)?.sequence ?? 0;
  return {
    chainId,
    intact: true,
    lastSequence: through,
    checkpointsVerified: checkpoints.length,
    signedThrough,
    unsignedEntries: through - signedThrough,
  };
}

/** About equal segments, cut at checkpoints (only a signed head can start a segment). */
export function cutIntoSegments(
  chainId: string,
  checkpoints: readonly Checkpoint[],
  through: number,
  count: number,
): Segment[] {
  const segments: Segment[] = [];
  let start = { sequence: 0, headHash: genesisHash(chainId) };
  let inside: Segment['checkpoints'] = [];
  const target = through / count;
  for (const c of checkpoints) {
    inside.push({ sequence: c.sequence, headHash: c.headHash });
    const cutHere = c.sequence - start.sequence >= target && segments.length < count - 1;
    if (cutHere) {
      segments.push({
        chainId,
        after: start.sequence,
        startHash: start.headHash,
        through: c.sequence,
        checkpoints: inside,
      });
      start = { sequence: c.sequence, headHash: c.headHash };
      inside = [];
    }
  }
  if (start.sequence < through || segments.length === 0) {
    segments.push({
      chainId,
      after: start.sequence,
      startHash: start.headHash,
      through,
      checkpoints: inside,
    });
  }
  return segments;
}

// Workers load TypeScript through tsx when the service runs under it (the repository's way); the
// import of tsx failing means compiled JavaScript, which needs nothing.
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then((m) => m.register(), () => undefined).then(() => import(workerData.moduleUrl));`;

function walkInWorker(databaseUrl: string, segment: Segment): Promise<SegmentResult> {
  const moduleUrl = new URL('./segment-worker.ts', import.meta.url).href.replace(
    /\.ts$/,
    import.meta.url.endsWith('.js') ? '.js' : '.ts',
  );
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { databaseUrl, segment, moduleUrl } });
    worker.once('message', (m: { ok: true; result: SegmentResult } | { ok: false; error: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ ...m.result, lastHash: Buffer.from(m.result.lastHash) });
      else reject(new Error(`chain segment walk failed (${m.error})`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`chain segment worker exited (${code})`)));
  });
}
