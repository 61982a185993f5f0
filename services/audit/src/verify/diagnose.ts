import { chainHash } from '../domain/chain-hash.js';
import type { LinkedEntry } from './log-source.js';
import type { TamperFinding } from './tamper.js';

/** How far past a break to look for the entry a misplaced one links to. */
export const DIAGNOSIS_WINDOW = 64;

const selfConsistent = (e: LinkedEntry): boolean =>
  chainHash(e.previousHash, e.canonical).equals(e.entryHash);

/**
 * Tells what happened at a break: entry `sequence` does not hash to its stored hash when chained
 * to `expectedPrevious` (the verified hash of the entry before it). `window` holds the stored
 * entries from `sequence - 1` to `sequence + DIAGNOSIS_WINDOW` with their stored previous hashes;
 * those are not trusted, only compared, to tell a modified entry from a missing or an extra one.
 */
export function diagnoseBreak(
  sequence: number,
  expectedPrevious: Buffer,
  window: readonly LinkedEntry[],
): TamperFinding {
  const at = (s: number): LinkedEntry | undefined => window.find((e) => e.sequence === s);
  const entry = at(sequence);
  if (entry === undefined) {
    return { kind: 'entry_deleted', sequence, detail: `Entry #${sequence} vanished while being verified` };
  }
  if (!selfConsistent(entry)) {
    const next = at(sequence + 1);
    if (next !== undefined && selfConsistent(next) && next.previousHash.equals(expectedPrevious)) {
      return {
        kind: 'entry_inserted',
        sequence,
        detail: `Entry #${sequence + 1} links to #${sequence - 1}: #${sequence} was put in between`,
      };
    }
    return {
      kind: 'entry_modified',
      sequence,
      detail: `Entry #${sequence}: its stored bytes do not hash to its stored hash`,
    };
  }
  // The entry is consistent in itself but does not follow the entry before it.
  const before = at(sequence - 1);
  if (before !== undefined && entry.previousHash.equals(before.previousHash)) {
    return {
      kind: 'entry_inserted',
      sequence: sequence - 1,
      detail: `Entry #${sequence} links to #${sequence - 2}: #${sequence - 1} was put in between`,
    };
  }
  const successor = window.find((e) => e.sequence > sequence && e.entryHash.equals(entry.previousHash));
  if (successor !== undefined) {
    return {
      kind: 'entries_reordered',
      sequence,
      detail: `Entry #${sequence} links to #${successor.sequence}, which is stored after it`,
    };
  }
  return {
    kind: 'entry_deleted',
    sequence,
    detail:
      `Entry #${sequence} links to an entry that is not stored: entries before it were deleted and ` +
      `the rest renumbered (or #${sequence - 1} was replaced together with its hash)`,
  };
}

/** A jump in the sequence numbers: entries deleted without renumbering the rest. */
export function sequenceGap(expected: number, found: number): TamperFinding {
  if (found < expected) {
    return { kind: 'entry_inserted', sequence: found, detail: `A second entry #${found} is stored` };
  }
  return {
    kind: 'entry_deleted',
    sequence: expected,
    lastSequence: found - 1,
    detail: `Entries #${expected} to #${found - 1} are missing`,
  };
}
