import { beforeEach, describe, expect, it } from 'vitest';
import { chainHash } from '../domain/chain-hash.js';
import { createInMemorySigner, type InMemorySigner } from '../signing/in-memory-signer.js';
import { buildMemoryChain, memoryLogSource, type MemoryChain } from '../testing/memory-log.js';
import { auditRecords } from '../testing/records.js';
import { verifyChain } from './verify-chain.js';

const CHAIN = '0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e5f';
let signer: InMemorySigner;
let chain: MemoryChain;

// 45 entries, checkpoints at 10, 20, 30, 40: entries 41..45 are not signed yet.
beforeEach(async () => {
  signer = createInMemorySigner();
  chain = await buildMemoryChain(CHAIN, auditRecords(45, CHAIN), signer, 10);
});

const verify = (pageSize = 7) =>
  verifyChain(memoryLogSource(chain), CHAIN, { trustedKeys: signer.trustedKeys, pageSize });
const entry = (sequence: number) => chain.entries.find((e) => e.sequence === sequence)!;

/** What an attacker with write access does to hide a change: recompute every hash from `from` on. */
function rehashFrom(from: number): void {
  const sorted = [...chain.entries].sort((a, b) => a.sequence - b.sequence);
  for (const e of sorted) {
    if (e.sequence < from) continue;
    const before = sorted.find((b) => b.sequence === e.sequence - 1);
    if (before !== undefined) e.previousHash = before.entryHash;
    e.entryHash = chainHash(e.previousHash, e.canonical);
  }
  const last = sorted.at(-1)!;
  chain.head = { sequence: last.sequence, hash: last.entryHash };
}

describe('verifyChain over an untouched chain', () => {
  it('is intact, proven through the last checkpoint, with the rest counted as unsigned', async () => {
    for (const pageSize of [1, 7, 100]) {
      expect(await verify(pageSize)).toEqual({
        chainId: CHAIN,
        intact: true,
        lastSequence: 45,
        checkpointsVerified: 4,
        signedThrough: 40,
        unsignedEntries: 5,
      });
    }
  });
});

describe('a single flipped byte', () => {
  it('anywhere in an entry’s stored bytes is found at that entry', async () => {
    const target = entry(17);
    const original = Buffer.from(target.canonical);
    for (let i = 0; i < original.length; i++) {
      target.canonical = Buffer.from(original);
      target.canonical[i]! ^= 0x20;
      const report = await verify(50);
      expect(report.problem, `byte ${i}`).toMatchObject({ kind: 'entry_modified', sequence: 17 });
      expect(report.signedThrough).toBe(10);
    }
    // ~680 verifications: ~2 s alone, past the default 5 s on the shared machine under load.
  }, 30_000);

  it('anywhere in an entry’s stored hash is found at that entry', async () => {
    const target = entry(23);
    const original = Buffer.from(target.entryHash);
    for (let i = 0; i < original.length; i++) {
      target.entryHash = Buffer.from(original);
      target.entryHash[i]! ^= 0x01;
      expect((await verify(50)).problem, `byte ${i}`).toMatchObject({ sequence: 23 });
    }
  });

  it('in a checkpoint’s signature is reported as a forged checkpoint', async () => {
    chain.checkpoints[2]!.signature[5]! ^= 0x80;
    expect((await verify()).problem).toMatchObject({ kind: 'checkpoint_forged', sequence: 30 });
  });
});

describe('tampering that recomputes hashes', () => {
  it('is caught by the next checkpoint and located between two checkpoints', async () => {
    entry(23).canonical = Buffer.from(entry(23).canonical.toString().replace('"read"', '"READ"'));
    rehashFrom(23);
    const report = await verify();
    expect(report.problem).toMatchObject({ kind: 'chain_rewritten', sequence: 21, lastSequence: 30 });
    expect(report.signedThrough).toBe(20);
  });

  it('after the last checkpoint cannot be told from the truth: the report says what is unsigned', async () => {
    chain.entries = chain.entries.filter((e) => e.sequence <= 42);
    rehashFrom(42);
    expect(await verify()).toMatchObject({
      intact: true,
      lastSequence: 42,
      signedThrough: 40,
      unsignedEntries: 2,
    });
  });
});

describe('classifying a break', () => {
  it('tells a deleted entry (the rest renumbered)', async () => {
    chain.entries = chain.entries.filter((e) => e.sequence !== 14);
    for (const e of chain.entries) if (e.sequence > 14) e.sequence--;
    expect((await verify()).problem).toMatchObject({ kind: 'entry_deleted', sequence: 14 });
  });

  it('tells a gap in the sequence', async () => {
    chain.entries = chain.entries.filter((e) => e.sequence !== 14 && e.sequence !== 15);
    expect((await verify()).problem).toMatchObject({ kind: 'entry_deleted', sequence: 14, lastSequence: 15 });
  });

  it('tells an inserted entry that was given a correct link to its predecessor', async () => {
    for (const e of chain.entries) if (e.sequence >= 14) e.sequence++;
    const canonical = Buffer.from(entry(13).canonical.toString().replace('"read"', '"export"'));
    const previousHash = entry(13).entryHash;
    chain.entries.push({
      sequence: 14,
      canonical,
      previousHash,
      entryHash: chainHash(previousHash, canonical),
    });
    expect((await verify()).problem).toMatchObject({ kind: 'entry_inserted', sequence: 14 });
  });

  it('tells two swapped entries', async () => {
    entry(33).sequence = -1;
    entry(34).sequence = 33;
    entry(-1).sequence = 34;
    expect((await verify()).problem).toMatchObject({ kind: 'entries_reordered', sequence: 33 });
  });
});

describe('checkpoints', () => {
  it('a deleted checkpoint is named by its successor', async () => {
    chain.checkpoints = chain.checkpoints.filter((c) => c.sequence !== 20);
    expect((await verify()).problem).toMatchObject({ kind: 'checkpoint_deleted', sequence: 20 });
  });

  it('signed entries deleted from the end are reported as missing', async () => {
    chain.entries = chain.entries.filter((e) => e.sequence <= 35);
    rehashFrom(35);
    expect((await verify()).problem).toMatchObject({
      kind: 'entries_missing',
      sequence: 36,
      lastSequence: 40,
    });
  });

  it('a checkpoint signed by an untrusted key is forged', async () => {
    const other = createInMemorySigner();
    chain.checkpoints[1] = { ...chain.checkpoints[1]!, keyId: await other.currentKeyId() };
    expect((await verify()).problem).toMatchObject({ kind: 'checkpoint_forged', sequence: 20 });
  });
});

describe('a chain that grows while it is verified', () => {
  it('is verified through the head it had when verification began', async () => {
    const records = auditRecords(60, CHAIN);
    chain = await buildMemoryChain(CHAIN, records.slice(0, 45), signer, 10);
    const grown = await buildMemoryChain(CHAIN, records, signer, 10);
    let reads = 0;
    const growing = {
      ...memoryLogSource(chain),
      // After the first read, entries and checkpoints up to #60 appear (another appender, a checkpointer).
      checkpoints: (id: string, after: number, limit: number) => {
        if (reads++ === 0) Object.assign(chain, { entries: grown.entries, checkpoints: grown.checkpoints });
        return memoryLogSource(chain).checkpoints(id, after, limit);
      },
      entries: (id: string, after: number, through: number, limit: number, columns: boolean) =>
        memoryLogSource(chain).entries(id, after, through, limit, columns),
    };
    const report = await verifyChain(growing, CHAIN, { trustedKeys: signer.trustedKeys, pageSize: 7 });
    expect(report).toMatchObject({ intact: true, lastSequence: 45, signedThrough: 40 });
  });
});
