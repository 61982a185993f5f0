import { genesisHash } from '../domain/chain-hash.js';
import type { TrustedKeys } from '../signing/checkpoint-signer.js';
import { CheckpointFeed } from './checkpoint-feed.js';
import { walkChain, type WalkState } from './chain-walk.js';
import type { AuditLogSource } from './log-source.js';
import type { TamperFinding, VerifyReport } from './tamper.js';

export interface VerifyOptions {
  /** Public keys from outside the database; see TrustedKeys. */
  trustedKeys: TrustedKeys;
  /** Entries per read; memory holds about `readAhead + 1` pages whatever the chain's length. */
  pageSize?: number;
  /** Pages read concurrently ahead of the one being hashed (each on its own connection). */
  readAhead?: number;
  /** Also compare each entry's searchable columns with its bytes (parses every entry: slower). */
  checkColumns?: boolean;
}

/**
 * Verifies one chain from its first entry: every entry's stored bytes hashed onto its predecessor,
 * every checkpoint's signature and its place in the series, and each signed head against the
 * recomputed chain. Reports the first tampering by position. Reads pages without a long
 * transaction: the log is append-only, and one long snapshot would stall other readers.
 */
export async function verifyChain(
  source: AuditLogSource,
  chainId: string,
  options: VerifyOptions,
): Promise<VerifyReport> {
  const [head, lastCheckpoint] = await Promise.all([
    source.head(chainId),
    source.lastCheckpointSequence(chainId),
  ]);
  // Entries appended while verifying are left for the next run.
  const through = Math.max(head?.sequence ?? 0, lastCheckpoint);
  const feed = new CheckpointFeed(source, chainId, options.trustedKeys, 1000, through);
  const state: WalkState = {
    previous: genesisHash(chainId),
    expected: 1,
    signedThrough: 0,
    checkpointsVerified: 0,
  };
  const problem =
    (await walkChain(source, chainId, state, {
      through,
      pageSize: options.pageSize ?? 5000,
      readAhead: options.readAhead ?? 3,
      checkColumns: options.checkColumns ?? false,
      feed,
    })) ?? (await problemAfterLastEntry(feed, state, head));
  const lastSequence = state.expected - 1;
  return {
    chainId,
    intact: problem === undefined,
    lastSequence,
    checkpointsVerified: state.checkpointsVerified,
    signedThrough: state.signedThrough,
    unsignedEntries: lastSequence - state.signedThrough,
    ...(problem === undefined ? {} : { problem }),
  };
}

/**
 * What the end of the walk shows: a checkpoint, or the head row, vouching for entries that are not
 * there. Only a checkpoint is proof; the head row is as editable as the entries.
 */
async function problemAfterLastEntry(
  feed: CheckpointFeed,
  state: WalkState,
  head: { sequence: number; hash: Buffer } | undefined,
): Promise<TamperFinding | undefined> {
  const last = state.expected - 1;
  await feed.readBeyond(last);
  const series = feed.problemAt(Number.MAX_SAFE_INTEGER);
  if (series !== undefined) return series;
  const signed = feed.peek();
  if (signed !== undefined) {
    return {
      kind: 'entries_missing',
      sequence: last + 1,
      lastSequence: signed.sequence,
      detail: `The checkpoint at #${signed.sequence} signed entries after #${last}, which are gone`,
    };
  }
  if (head !== undefined && head.sequence > last) {
    return {
      kind: 'entries_missing',
      sequence: last + 1,
      lastSequence: head.sequence,
      detail: `The chain head says #${head.sequence}, the entries end at #${last} (unsigned: not proof)`,
    };
  }
  if (head !== undefined && head.sequence === last && last > 0 && !head.hash.equals(state.previous)) {
    return {
      kind: 'chain_rewritten',
      sequence: state.signedThrough + 1,
      lastSequence: last,
      detail: 'The chain head row holds another hash than the entries give (unsigned: not proof)',
    };
  }
  return undefined;
}
