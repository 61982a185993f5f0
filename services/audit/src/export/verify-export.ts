import { createHash, verify } from 'node:crypto';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import type { TrustedKeys } from '../signing/checkpoint-signer.js';
import type { AuditLogSource, LinkedEntry } from '../verify/log-source.js';
import type { TamperFinding } from '../verify/tamper.js';
import { verifyChain } from '../verify/verify-chain.js';
import { EXPORT_FORMAT, manifestStatement, type ExportLine, type ExportManifest } from './export-format.js';

export interface ExportVerification {
  intact: boolean;
  chainId: string;
  headSequence: number;
  signedThrough: number;
  /** What is wrong with the export, by the first check that failed. */
  problem?:
    { kind: 'manifest_invalid' | 'manifest_forged' | 'ndjson_modified' | 'head_mismatch' } | TamperFinding;
}

function parseManifest(json: string): ExportManifest | undefined {
  try {
    const m = JSON.parse(json) as Partial<ExportManifest>;
    const ok =
      m.format === EXPORT_FORMAT &&
      typeof m.chainId === 'string' &&
      Number.isSafeInteger(m.headSequence) &&
      typeof m.headHash === 'string' &&
      typeof m.ndjsonSha256 === 'string' &&
      typeof m.keyId === 'string' &&
      typeof m.signature === 'string';
    return ok ? (m as ExportManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** An AuditLogSource over an export's lines, so the service's own verifier checks it. */
function exportLogSource(
  lines: ExportLine[],
  chainId: string,
  head: LinkedEntry | undefined,
): AuditLogSource {
  const entries: LinkedEntry[] = [];
  const checkpoints: Checkpoint[] = [];
  for (const l of lines) {
    if (l.type === 'entry') {
      entries.push({
        sequence: l.sequence,
        canonical: Buffer.from(l.canonical, 'utf8'),
        previousHash: Buffer.from(l.prevHash, 'hex'),
        entryHash: Buffer.from(l.entryHash, 'hex'),
      });
    } else {
      checkpoints.push({
        chainId,
        sequence: l.sequence,
        headHash: Buffer.from(l.headHash, 'hex'),
        previousSequence: l.previousSequence,
        signedAt: new Date(l.signedAt),
        keyId: l.keyId,
        signature: Buffer.from(l.signature, 'base64'),
      });
    }
  }
  entries.sort((a, b) => a.sequence - b.sequence);
  checkpoints.sort((a, b) => a.sequence - b.sequence);
  return {
    entries: async (_c, after, through, limit) =>
      entries.filter((e) => e.sequence > after && e.sequence <= through).slice(0, limit),
    linkedEntries: async (_c, from, to) => entries.filter((e) => e.sequence >= from && e.sequence <= to),
    checkpoints: async (_c, after, limit) => checkpoints.filter((c) => c.sequence > after).slice(0, limit),
    head: async () => (head === undefined ? undefined : { sequence: head.sequence, hash: head.entryHash }),
    lastCheckpointSequence: async () => checkpoints.at(-1)?.sequence ?? 0,
  };
}

/**
 * Verifies an export offline, with nothing but the audit service's public key(s): the manifest's
 * signature, the NDJSON's SHA-256 against the manifest, then every entry's hash chained from the
 * genesis and every checkpoint's signature (the same `verifyChain` the service runs), ending at
 * exactly the head the manifest names.
 */
export async function verifyExport(
  ndjson: string,
  manifestJson: string,
  trustedKeys: TrustedKeys,
): Promise<ExportVerification> {
  const manifest = parseManifest(manifestJson);
  if (manifest === undefined) {
    return {
      intact: false,
      chainId: '',
      headSequence: 0,
      signedThrough: 0,
      problem: { kind: 'manifest_invalid' },
    };
  }
  const base = { chainId: manifest.chainId, headSequence: manifest.headSequence };
  const fail = (problem: ExportVerification['problem'], signedThrough = 0): ExportVerification => ({
    intact: false,
    ...base,
    signedThrough,
    ...(problem === undefined ? {} : { problem }),
  });
  const { signature, ...claim } = manifest;
  const key = trustedKeys.get(manifest.keyId);
  let signed = false;
  try {
    signed =
      key !== undefined && verify(null, manifestStatement(claim), key, Buffer.from(signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) return fail({ kind: 'manifest_forged' });
  if (createHash('sha256').update(ndjson).digest('hex') !== manifest.ndjsonSha256) {
    return fail({ kind: 'ndjson_modified' });
  }
  const lines = ndjson
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ExportLine);
  const manifestHead: LinkedEntry | undefined =
    manifest.headSequence === 0
      ? undefined
      : {
          sequence: manifest.headSequence,
          canonical: Buffer.alloc(0),
          previousHash: Buffer.alloc(0),
          entryHash: Buffer.from(manifest.headHash, 'hex'),
        };
  const report = await verifyChain(exportLogSource(lines, manifest.chainId, manifestHead), manifest.chainId, {
    trustedKeys,
  });
  if (report.problem !== undefined) return fail(report.problem, report.signedThrough);
  const last = lines.filter((l) => l.type === 'entry').at(-1);
  const lastHash = last?.type === 'entry' ? last.entryHash : undefined;
  if (
    report.lastSequence !== manifest.headSequence ||
    (manifest.headSequence > 0 && lastHash !== manifest.headHash)
  ) {
    return fail({ kind: 'head_mismatch' }, report.signedThrough);
  }
  return { intact: true, ...base, signedThrough: report.signedThrough };
}
