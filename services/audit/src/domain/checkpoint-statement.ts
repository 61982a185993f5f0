import { canonicalJson } from './canonical-json.js';

/** Names the layout of the signed statement; verifiers refuse layouts they do not know. */
export const CHECKPOINT_FORMAT = 'medspa.audit.checkpoint.v1';

/** What a checkpoint asserts: "chain C had `sequence` entries and this head hash, at `signedAt`". */
export interface CheckpointClaim {
  chainId: string;
  sequence: number;
  headHash: Buffer;
  /**
   * The sequence of the checkpoint before this one (0 for the first). Chains the checkpoints
   * themselves, so deleting one is detected by the next.
   */
  previousSequence: number;
  signedAt: Date;
  /** The key that signs it; verifiers look up its public half among the keys they trust. */
  keyId: string;
}

export interface Checkpoint extends CheckpointClaim {
  /** Ed25519 signature of `checkpointStatement(claim)`. */
  signature: Buffer;
}

/**
 * The exact bytes that are signed: JCS JSON of the claim with the hash in lower-case hex and the
 * time as ISO-8601 UTC. Derived from the stored columns, so changing any of them breaks the signature.
 */
export function checkpointStatement(claim: CheckpointClaim): Buffer {
  return canonicalJson({
    format: CHECKPOINT_FORMAT,
    chainId: claim.chainId,
    sequence: claim.sequence,
    headHash: claim.headHash.toString('hex'),
    previousSequence: claim.previousSequence,
    signedAt: claim.signedAt.toISOString(),
    keyId: claim.keyId,
  });
}
