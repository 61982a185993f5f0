import type { Checkpoint } from '../domain/checkpoint-statement.js';
import { checkpointSignatureValid, type TrustedKeys } from '../signing/checkpoint-signer.js';
import type { TamperFinding } from './tamper.js';

/**
 * Checks one checkpoint against the one before it (undefined for the first): its signature under
 * a trusted key, and that it names that predecessor. Signatures are what an attacker with database
 * access cannot recompute; naming the predecessor is what makes a deleted checkpoint visible.
 */
export function checkCheckpoint(
  chainId: string,
  previous: Checkpoint | undefined,
  checkpoint: Checkpoint,
  trusted: TrustedKeys,
): TamperFinding | undefined {
  const at = checkpoint.sequence;
  if (checkpoint.chainId !== chainId || !checkpointSignatureValid(checkpoint, trusted)) {
    const why = trusted.has(checkpoint.keyId) ? 'its signature does not verify' : 'its key is not trusted';
    return { kind: 'checkpoint_forged', sequence: at, detail: `Checkpoint at #${at}: ${why}` };
  }
  const expected = previous?.sequence ?? 0;
  if (checkpoint.previousSequence > expected) {
    return {
      kind: 'checkpoint_deleted',
      sequence: checkpoint.previousSequence,
      detail: `Checkpoint at #${at} follows one at #${checkpoint.previousSequence}, which is missing`,
    };
  }
  if (checkpoint.previousSequence < expected) {
    // Validly signed, yet a second successor of an earlier checkpoint: the series was spliced.
    return {
      kind: 'checkpoint_forged',
      sequence: at,
      detail: `Checkpoint at #${at} names #${checkpoint.previousSequence} as its predecessor, not #${expected}`,
    };
  }
  return undefined;
}
