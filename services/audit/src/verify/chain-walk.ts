import { chainHash } from '../domain/chain-hash.js';
import { columnsDisagreeing } from '../domain/canonical-record.js';
import type { CheckpointFeed } from './checkpoint-feed.js';
import { DIAGNOSIS_WINDOW, diagnoseBreak, sequenceGap } from './diagnose.js';
import type { AuditLogSource, StoredEntry } from './log-source.js';
import type { TamperFinding } from './tamper.js';

/** The checkpoints a walk matches, in sequence order: a `CheckpointFeed`, or a segment's list. */
export type CheckpointQueue = Pick<CheckpointFeed, 'readBeyond' | 'problemAt' | 'peek' | 'take'>;

/** Where a walk stands: the verified hash of entry `expected - 1`. */
export interface WalkState {
  previous: Buffer;
  expected: number;
  signedThrough: number;
  checkpointsVerified: number;
}

export interface WalkOptions {
  through: number;
  /** Sequence numbers per page. */
  pageSize: number;
  /** Pages read ahead concurrently (on separate connections) while one is hashed. */
  readAhead: number;
  checkColumns: boolean;
  /** Checkpoints to hold the chain against, when walking a whole chain (or a segment of one). */
  feed?: CheckpointQueue;
}

/**
 * Walks a chain from `state` through `options.through`, hashing each entry's stored bytes onto the
 * previous verified hash. Pages are ranges of sequence numbers rather than "the next N rows", so
 * several can be read at once; a range that comes back short or empty is simply a gap for the
 * walk to report, and one holding more rows than numbers (duplicates) is cut at twice its size,
 * which still shows the duplicate. Returns the first problem, or undefined with `state` at the
 * last entry walked.
 */
export async function walkChain(
  source: AuditLogSource,
  chainId: string,
  state: WalkState,
  options: WalkOptions,
): Promise<TamperFinding | undefined> {
  let nextFrom = state.expected - 1;
  const pending: Promise<StoredEntry[]>[] = [];
  const readNext = (): void => {
    if (nextFrom >= options.through) return;
    const after = nextFrom;
    nextFrom = Math.min(after + options.pageSize, options.through);
    const page = source.entries(chainId, after, nextFrom, options.pageSize * 2, options.checkColumns);
    // A page read ahead may fail before it is awaited; it must not count as unhandled meanwhile.
    page.catch(() => undefined);
    pending.push(page);
  };
  for (let i = 0; i < Math.max(1, options.readAhead); i++) readNext();
  for (let page = pending.shift(); page !== undefined; page = pending.shift()) {
    const entries = await page;
    readNext();
    const last = entries.at(-1);
    if (last === undefined) continue;
    await options.feed?.readBeyond(last.sequence);
    const problem = await walkPage(source, chainId, entries, state, options);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

async function walkPage(
  source: AuditLogSource,
  chainId: string,
  entries: readonly StoredEntry[],
  state: WalkState,
  options: WalkOptions,
): Promise<TamperFinding | undefined> {
  const feed = options.feed;
  for (const entry of entries) {
    const seriesProblem = feed?.problemAt(entry.sequence);
    if (seriesProblem !== undefined) return seriesProblem;
    if (entry.sequence !== state.expected) return sequenceGap(state.expected, entry.sequence);
    const hash = chainHash(state.previous, entry.canonical);
    if (!hash.equals(entry.entryHash)) {
      const window = await source.linkedEntries(
        chainId,
        entry.sequence - 1,
        entry.sequence + DIAGNOSIS_WINDOW,
      );
      return diagnoseBreak(entry.sequence, state.previous, window);
    }
    if (options.checkColumns && entry.columns !== undefined) {
      const disagreeing = columnsDisagreeing(entry.canonical, entry.columns);
      if (disagreeing.length > 0) {
        return {
          kind: 'entry_columns_modified',
          sequence: entry.sequence,
          detail: `Entry #${entry.sequence}: column(s) ${disagreeing.join(', ')} disagree with its bytes`,
        };
      }
    }
    state.previous = hash;
    state.expected++;
    for (let cp = feed?.peek(); cp !== undefined && cp.sequence <= entry.sequence; cp = feed?.peek()) {
      feed?.take();
      if (!cp.headHash.equals(hash)) {
        return {
          kind: 'chain_rewritten',
          sequence: state.signedThrough + 1,
          lastSequence: cp.sequence,
          detail:
            `The entries hash consistently, but not to what the checkpoint at #${cp.sequence} signed: ` +
            `entries from #${state.signedThrough + 1} to #${cp.sequence} were changed and the hashes recomputed`,
        };
      }
      state.signedThrough = cp.sequence;
      state.checkpointsVerified++;
    }
  }
  return undefined;
}
