import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import { genesisHash } from '../domain/chain-hash.js';
import { cutIntoSegments } from './parallel-verify.js';

const chain = '0190a6f2-7b1c-7cc0-9a52-3f6b2c1d4e5f';
const checkpoint = (sequence: number): Checkpoint => ({
  chainId: chain,
  sequence,
  headHash: Buffer.alloc(32, sequence % 256),
  previousSequence: 0,
  signedAt: new Date(0),
  keyId: 'k',
  signature: Buffer.alloc(64),
});

describe('cutIntoSegments', () => {
  it('cuts at checkpoints into about equal, contiguous segments, each starting from a signed head', () => {
    const cps = [100, 200, 300, 400, 500, 600].map(checkpoint);
    const segments = cutIntoSegments(chain, cps, 650, 3);
    expect(segments.map((s) => [s.after, s.through])).toEqual([
      [0, 300],
      [300, 600],
      [600, 650],
    ]);
    expect(segments[0]!.startHash).toEqual(genesisHash(chain));
    expect(segments[1]!.startHash).toEqual(cps[2]!.headHash);
    // Every checkpoint is matched by exactly one segment, the cut ones by the segment they end.
    expect(segments.flatMap((s) => s.checkpoints.map((c) => c.sequence))).toEqual([
      100, 200, 300, 400, 500, 600,
    ]);
  });

  it('keeps a chain without checkpoints, or ending at one, in whole segments', () => {
    expect(cutIntoSegments(chain, [], 80, 4).map((s) => [s.after, s.through])).toEqual([[0, 80]]);
    const cps = [50, 100].map(checkpoint);
    expect(cutIntoSegments(chain, cps, 100, 2).map((s) => [s.after, s.through])).toEqual([
      [0, 50],
      [50, 100],
    ]);
  });
});
