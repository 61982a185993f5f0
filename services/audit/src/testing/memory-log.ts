import type { AuditRecord } from '../domain/audit-record.js';
import { canonicalEntry } from '../domain/canonical-record.js';
import { extendChain, genesisHash } from '../domain/chain-hash.js';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import { signCheckpoint, type CheckpointSigner } from '../signing/checkpoint-signer.js';
import type { AuditLogSource, LinkedEntry } from '../verify/log-source.js';

/** A chain held in plain arrays, for unit tests that tamper with it directly. */
export interface MemoryChain {
  chainId: string;
  entries: LinkedEntry[];
  checkpoints: Checkpoint[];
  head: { sequence: number; hash: Buffer };
}

/** Chains `records` (all of one tenant) and signs a checkpoint every `checkpointEvery` entries. */
export async function buildMemoryChain(
  chainId: string,
  records: readonly AuditRecord[],
  signer: CheckpointSigner,
  checkpointEvery: number,
): Promise<MemoryChain> {
  const canonical = records.map(canonicalEntry);
  const links = extendChain({ sequence: 0, hash: genesisHash(chainId) }, canonical);
  const entries = links.map((link, i): LinkedEntry => ({
    sequence: link.sequence,
    canonical: canonical[i]!,
    previousHash: link.previousHash,
    entryHash: link.entryHash,
  }));
  const checkpoints: Checkpoint[] = [];
  const keyId = await signer.currentKeyId();
  for (const entry of entries) {
    if (entry.sequence % checkpointEvery !== 0) continue;
    checkpoints.push(
      await signCheckpoint(signer, {
        chainId,
        sequence: entry.sequence,
        headHash: entry.entryHash,
        previousSequence: checkpoints.at(-1)?.sequence ?? 0,
        signedAt: new Date(Date.UTC(2025, 5, 1) + entry.sequence * 1000),
        keyId,
      }),
    );
  }
  const last = entries.at(-1);
  const head =
    last === undefined
      ? { sequence: 0, hash: genesisHash(chainId) }
      : { sequence: last.sequence, hash: last.entryHash };
  return { chainId, entries, checkpoints, head };
}

/** Reads a MemoryChain the way Postgres would: ordered by sequence, whatever the tests did to it. */
export function memoryLogSource(chain: MemoryChain): AuditLogSource {
  const sorted = () => [...chain.entries].sort((a, b) => a.sequence - b.sequence);
  // Like the Postgres source: text when the bytes are valid UTF-8, the bytes themselves otherwise.
  const asText = (bytes: Buffer): Buffer | string => {
    const text = bytes.toString('utf8');
    return Buffer.from(text, 'utf8').equals(bytes) ? text : bytes;
  };
  const strip = ({ sequence, canonical, entryHash }: LinkedEntry) => ({
    sequence,
    canonical: asText(canonical),
    entryHash,
  });
  return {
    entries: (_id, after, through, limit) =>
      Promise.resolve(
        sorted()
          .filter((e) => e.sequence > after && e.sequence <= through)
          .slice(0, limit)
          .map(strip),
      ),
    linkedEntries: (_id, from, to) =>
      Promise.resolve(sorted().filter((e) => e.sequence >= from && e.sequence <= to)),
    checkpoints: (_id, after, limit) =>
      Promise.resolve(
        [...chain.checkpoints]
          .sort((a, b) => a.sequence - b.sequence)
          .filter((c) => c.sequence > after)
          .slice(0, limit),
      ),
    head: () => Promise.resolve(chain.head),
    lastCheckpointSequence: () => Promise.resolve(Math.max(0, ...chain.checkpoints.map((c) => c.sequence))),
  };
}
