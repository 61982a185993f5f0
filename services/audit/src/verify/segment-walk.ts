import { createPool } from '@medspa/db';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import { pgLogSource } from '../store/pg-log-source.js';
import { walkChain, type CheckpointQueue, type WalkState } from './chain-walk.js';

/** A stretch of a chain between two signed heads (the last one may end at the unsigned head). */
export interface Segment {
  chainId: string;
  /** The sequence of the checkpoint it starts after (0: the genesis). */
  after: number;
  /** That checkpoint's signed head hash (or the genesis hash): trusted, its signature was checked. */
  startHash: Buffer;
  through: number;
  /** The (already signature-checked) checkpoints in `(after, through]` the entries must hash to. */
  checkpoints: Pick<Checkpoint, 'sequence' | 'headHash'>[];
}

export interface SegmentResult {
  /** False at the first entry that does not hash, a gap, or a checkpoint the entries miss. */
  intact: boolean;
  lastSequence: number;
  lastHash: Buffer;
}

/** Checkpoints already checked, as a walk's queue. */
function listQueue(checkpoints: Segment['checkpoints']): CheckpointQueue {
  let next = 0;
  return {
    readBeyond: () => Promise.resolve(),
    problemAt: () => undefined,
    peek: () => checkpoints[next] as Checkpoint | undefined,
    take: () => checkpoints[next++] as Checkpoint | undefined,
  };
}

/**
 * Walks one segment on connections of its own (a worker thread runs this): every entry's bytes
 * hashed from the segment's trusted start, every checkpoint inside matched. Says only whether it
 * is intact; where and how a chain is broken is for the sequential walk to tell.
 */
export async function walkSegment(databaseUrl: string, segment: Segment): Promise<SegmentResult> {
  const pool = createPool(databaseUrl, { applicationName: 'audit-verify-segment', max: 3 });
  try {
    const state: WalkState = {
      previous: segment.startHash,
      expected: segment.after + 1,
      signedThrough: segment.after,
      checkpointsVerified: 0,
    };
    const problem = await walkChain(pgLogSource(pool), segment.chainId, state, {
      through: segment.through,
      pageSize: 5000,
      readAhead: 2,
      checkColumns: false,
      feed: listQueue(segment.checkpoints),
    });
    const lastSequence = state.expected - 1;
    return {
      intact:
        problem === undefined &&
        lastSequence === segment.through &&
        state.checkpointsVerified === segment.checkpoints.length,
      lastSequence,
      lastHash: state.previous,
    };
  } finally {
    await pool.end();
  }
}
