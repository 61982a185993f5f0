import type { Checkpoint } from '../domain/checkpoint-statement.js';
import { canonicalJson } from '../domain/canonical-json.js';

/** Names the manifest layout; an offline verifier refuses layouts it does not know. */
export const EXPORT_FORMAT = 'medspa.audit.export.v1';

/** One NDJSON line of an export: an entry (its exact hashed bytes as text) or a signed checkpoint. */
export type ExportLine =
  | { type: 'entry'; sequence: number; canonical: string; prevHash: string; entryHash: string }
  | {
      type: 'checkpoint';
      sequence: number;
      headHash: string;
      previousSequence: number;
      signedAt: string;
      keyId: string;
      signature: string;
    };

/** What the manifest asserts about the NDJSON it comes with; signed as its canonical JSON. */
export interface ExportManifestClaim {
  format: typeof EXPORT_FORMAT;
  chainId: string;
  /** The chain head the export ends at: its last entry's sequence and hash (hex). */
  headSequence: number;
  headHash: string;
  entries: number;
  checkpoints: number;
  /** SHA-256 (hex) of the NDJSON file: every line followed by "\n". */
  ndjsonSha256: string;
  exportedAt: string;
  keyId: string;
}

export interface ExportManifest extends ExportManifestClaim {
  /** Ed25519 signature (base64) of `manifestStatement(claim)`. */
  signature: string;
}

/** The exact bytes the manifest's signature covers: JCS JSON of the claim. */
export const manifestStatement = (claim: ExportManifestClaim): Buffer => canonicalJson({ ...claim });

/** A checkpoint as an export line. */
export const checkpointLine = (c: Checkpoint): ExportLine => ({
  type: 'checkpoint',
  sequence: c.sequence,
  headHash: c.headHash.toString('hex'),
  previousSequence: c.previousSequence,
  signedAt: c.signedAt.toISOString(),
  keyId: c.keyId,
  signature: c.signature.toString('base64'),
});
