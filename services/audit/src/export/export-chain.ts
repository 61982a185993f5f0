import { createHash } from 'node:crypto';
import type { Queryable } from '@medspa/db';
import { genesisHash } from '../domain/chain-hash.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { CheckpointSigner } from '../signing/checkpoint-signer.js';
import { pgLogSource } from '../store/pg-log-source.js';
import {
  EXPORT_FORMAT,
  checkpointLine,
  manifestStatement,
  type ExportLine,
  type ExportManifest,
  type ExportManifestClaim,
} from './export-format.js';

export type ExportItem = { line: string } | { manifestJson: string };

const PAGE = 2000;

/**
 * Streams a tenant's whole chain, genesis to the head it found at the start, as NDJSON lines
 * (entries and checkpoints in sequence order), then a signed manifest holding that head and the
 * file's SHA-256. Pages are short reads (no long transaction); entries appended meanwhile are left
 * for the next export, so the manifest's head is exactly the last exported entry.
 */
export async function* exportChain(
  db: Queryable,
  chainId: string,
  signer: CheckpointSigner,
  now: () => Date = () => new Date(),
): AsyncGenerator<ExportItem> {
  const source = pgLogSource(db);
  const head = (await source.head(chainId)) ?? { sequence: 0, hash: genesisHash(chainId) };
  const digest = createHash('sha256');
  const emit = (line: ExportLine): ExportItem => {
    const text = canonicalJson({ ...line }).toString('utf8');
    digest.update(`${text}\n`);
    return { line: text };
  };
  const checkpoints = (await source.checkpoints(chainId, 0, 1_000_000)).filter(
    (c) => c.sequence <= head.sequence,
  );
  let nextCheckpoint = 0;
  for (let after = 0; after < head.sequence;) {
    const through = Math.min(after + PAGE, head.sequence);
    const page = await source.linkedEntries(chainId, after + 1, through);
    for (const e of page) {
      yield emit({
        type: 'entry',
        sequence: e.sequence,
        canonical: e.canonical.toString('utf8'),
        prevHash: e.previousHash.toString('hex'),
        entryHash: e.entryHash.toString('hex'),
      });
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.sequence <= e.sequence) {
        yield emit(checkpointLine(checkpoints[nextCheckpoint]!));
        nextCheckpoint++;
      }
    }
    after = through;
  }
  const keyId = await signer.currentKeyId();
  const claim: ExportManifestClaim = {
    format: EXPORT_FORMAT,
    chainId,
    headSequence: head.sequence,
    headHash: head.hash.toString('hex'),
    entries: head.sequence,
    checkpoints: checkpoints.length,
    ndjsonSha256: digest.digest('hex'),
    exportedAt: now().toISOString(),
    keyId,
  };
  const signature = (await signer.sign(keyId, manifestStatement(claim))).toString('base64');
  const manifest: ExportManifest = { ...claim, signature };
  yield { manifestJson: canonicalJson({ ...manifest }).toString('utf8') };
}
