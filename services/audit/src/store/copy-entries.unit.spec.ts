import { describe, expect, it } from 'vitest';
import { parseCopiedEntries } from './copy-entries.js';

const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const bigint = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const field = (bytes: Buffer) => Buffer.concat([int32(bytes.length), bytes]);

/** What `COPY (SELECT seq, canonical, entry_hash …) TO STDOUT (FORMAT binary)` sends. */
function copyStream(rows: [number, Buffer, Buffer][]): Buffer {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int32(0), int32(0)]);
  const tuples = rows.map(([seq, canonical, hash]) =>
    Buffer.concat([int16(3), field(bigint(seq)), field(canonical), field(hash)]),
  );
  return Buffer.concat([header, ...tuples, int16(-1)]);
}

describe('the binary COPY page of verification', () => {
  it('gives each entry its sequence and its exact stored bytes, invalid UTF-8 and NULs included', () => {
    const odd = Buffer.from([0xff, 0x00, 0xc3, 0x28]);
    const rows: [number, Buffer, Buffer][] = [
      [1, Buffer.from('{"a":1}'), Buffer.alloc(32, 1)],
      [2 ** 40, odd, Buffer.alloc(32, 2)],
    ];
    expect(parseCopiedEntries(copyStream(rows))).toEqual(
      rows.map(([sequence, canonical, entryHash]) => ({ sequence, canonical, entryHash })),
    );
  });

  it('reads an empty page, and an empty result', () => {
    expect(parseCopiedEntries(copyStream([]))).toEqual([]);
    expect(parseCopiedEntries(Buffer.alloc(0))).toEqual([]);
  });

  it('refuses a stream that is not binary COPY, or is cut short', () => {
    expect(() => parseCopiedEntries(Buffer.from('1\t\\x00\t\\x00\n'.repeat(3)))).toThrow(/not a binary COPY/);
    const whole = copyStream([[1, Buffer.from('{"a":1}'), Buffer.alloc(32, 1)]]);
    expect(() => parseCopiedEntries(whole.subarray(0, whole.length - 10))).toThrow();
  });
});
