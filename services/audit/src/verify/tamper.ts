/** The kinds of tampering verification tells apart. */
export type TamperKind =
  /** An entry's stored bytes no longer hash to its stored hash (or its hash was changed). */
  | 'entry_modified'
  /** The searchable columns disagree with the entry's canonical bytes (deep verification only). */
  | 'entry_columns_modified'
  /** Entries are missing: a gap in the sequence, or an entry whose predecessor is not the entry before it. */
  | 'entry_deleted'
  /** An entry that does not belong: the entry after it links straight to the entry before it. */
  | 'entry_inserted'
  /** An entry links to one stored after it. */
  | 'entries_reordered'
  /**
   * The chain is consistent but disagrees with a signed checkpoint: entries were changed and every
   * later hash recomputed. Located to the stretch between the last matching checkpoint and this one.
   */
  | 'chain_rewritten'
  /** Entries that a checkpoint (or, weaker, the chain head row) vouches for are gone from the end. */
  | 'entries_missing'
  /** A checkpoint whose signature does not verify under a trusted key. */
  | 'checkpoint_forged'
  /** The next checkpoint names a predecessor that is no longer stored. */
  | 'checkpoint_deleted';

export interface TamperFinding {
  kind: TamperKind;
  /** The first sequence number affected. */
  sequence: number;
  /** The last one, when only a range can be told (`chain_rewritten`, runs of deleted entries). */
  lastSequence?: number;
  /** For people: what was seen. Holds sequence numbers and hashes only, never entry content. */
  detail: string;
}

export interface VerifyReport {
  chainId: string;
  intact: boolean;
  /** The highest sequence verified intact (the walk starts at 1 and stops at the first problem). */
  lastSequence: number;
  checkpointsVerified: number;
  /**
   * Entries up to here are proven by a signature: not even someone who can rewrite the database
   * and recompute every hash could have changed them unnoticed.
   */
  signedThrough: number;
  /**
   * Verified entries after the last checkpoint. Their hashes chain, but removing them from the end
   * (with the head row) cannot be told from them never having existed, until the next checkpoint.
   */
  unsignedEntries: number;
  /** The first tampering found, by position; verification stops there. */
  problem?: TamperFinding;
}
