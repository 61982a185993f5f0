import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chainHash, extendChain, genesisHash } from './chain-hash.js';

describe('chain hashing', () => {
  it('hashes SHA-256(previous ‖ canonical bytes)', () => {
    const previous = Buffer.alloc(32, 7);
    const canonical = Buffer.from('{"a":1}');
    const expected = createHash('sha256')
      .update(Buffer.concat([previous, canonical]))
      .digest();
    expect(chainHash(previous, canonical)).toEqual(expected);
  });

  it('starts each chain from a genesis bound to its id', () => {
    expect(genesisHash('a')).not.toEqual(genesisHash('b'));
    expect(genesisHash('a')).toHaveLength(32);
  });

  it('links each entry to the one before, continuing from the head', () => {
    const head = { sequence: 41, hash: Buffer.alloc(32, 1) };
    const links = extendChain(head, [Buffer.from('x'), Buffer.from('y')]);
    expect(links.map((l) => l.sequence)).toEqual([42, 43]);
    expect(links[0]!.previousHash).toEqual(head.hash);
    expect(links[1]!.previousHash).toEqual(links[0]!.entryHash);
    expect(links[1]!.entryHash).toEqual(chainHash(links[0]!.entryHash, Buffer.from('y')));
  });

  it('gives a different hash for a single flipped bit anywhere in the bytes', () => {
    const previous = genesisHash('t');
    const canonical = Buffer.from('{"action":"read","subjectId":"p-1"}');
    const original = chainHash(previous, canonical);
    for (let i = 0; i < canonical.length; i++) {
      const flipped = Buffer.from(canonical);
      flipped[i]! ^= 0x01;
      expect(chainHash(previous, flipped).equals(original), `byte ${i}`).toBe(false);
    }
  });
});
