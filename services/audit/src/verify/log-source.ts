import type { Checkpoint } from '../domain/checkpoint-statement.js';
import type { EntryColumns } from '../domain/canonical-record.js';

/** An entry as verification reads it: its stored bytes and stored hash, nothing re-derived. */
export interface StoredEntry {
  sequence: number;
  /**
   * The stored bytes, or their UTF-8 decoding as a string when the store checked they are valid
   * UTF-8 (Postgres' convert_from does): valid UTF-8 decodes and re-encodes to the very same bytes,
   * and text travels at half the size of hex. Hashing either gives the hash of the stored bytes.
   */
  canonical: Buffer | string;
  entryHash: Buffer;
  /** Only when a deep verification asked for them. */
  columns?: EntryColumns;
}

/** An entry with its stored previous hash, read only around a break to tell what kind it is. */
export interface LinkedEntry extends StoredEntry {
  canonical: Buffer;
  previousHash: Buffer;
}

/**
 * What verification reads, as pages in sequence order. Postgres implements it for the service; an
 * export file or an in-memory chain can too, so the same verifier checks an archive or a unit test.
 */
export interface AuditLogSource {
  /** Entries with `after < sequence <= through`, ascending, at most `limit`. */
  entries(
    chainId: string,
    after: number,
    through: number,
    limit: number,
    withColumns: boolean,
  ): Promise<StoredEntry[]>;
  /** Entries with `from <= sequence <= to`, ascending, with their stored previous hashes. */
  linkedEntries(chainId: string, from: number, to: number): Promise<LinkedEntry[]>;
  /** Checkpoints with `sequence > after`, ascending, at most `limit`. */
  checkpoints(chainId: string, after: number, limit: number): Promise<Checkpoint[]>;
  /** The chain's head row: what appenders last wrote, undefined for an unknown chain. */
  head(chainId: string): Promise<{ sequence: number; hash: Buffer } | undefined>;
  /** The highest checkpointed sequence (0 when none). */
  lastCheckpointSequence(chainId: string): Promise<number>;
}
