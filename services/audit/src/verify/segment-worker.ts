// A worker thread that walks one chain segment (see parallel-verify.ts): hashing is CPU-bound, so
// segments between signed checkpoints are hashed on several cores at once.
import { parentPort, workerData } from 'node:worker_threads';
import { walkSegment, type Segment } from './segment-walk.js';

const { databaseUrl, segment } = workerData as { databaseUrl: string; segment: Segment };
const revived: Segment = {
  ...segment,
  startHash: Buffer.from(segment.startHash),
  checkpoints: segment.checkpoints.map((c) => ({ sequence: c.sequence, headHash: Buffer.from(c.headHash) })),
};
walkSegment(databaseUrl, revived).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.name : 'Error' }),
);
