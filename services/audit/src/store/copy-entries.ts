import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Queryable } from '@medspa/db';
import type { StoredEntry } from '../verify/log-source.js';

/** `PGCOPY\n\377\r\n\0`: the signature every binary COPY stream starts with. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page of entries as verification reads them, through `COPY (…) TO STDOUT (FORMAT binary)`: the
 * stored bytes arrive as they are (no hex, no UTF-8 text, no row objects from `pg`), and each
 * entry's `canonical` and `entryHash` are views into the page's one buffer. Nothing is computed by
 * the server but the selection: the bytes are hashed by the verifier.
 *
 * COPY takes no parameters, so the values are checked and inlined (a uuid and integers only).
 */
export async function copyEntries(
  db: Queryable,
  chainId: string,
  after: number,
  through: number,
  limit: number,
): Promise<StoredEntry[]> {
  if (!UUID.test(chainId) || ![after, through, limit].every(Number.isSafeInteger))
    throw new TypeError('copyEntries: chain id must be a uuid and bounds integers');
  const sql =
    `COPY (SELECT seq, canonical, entry_hash FROM audit.entries WHERE tenant_id = '${chainId}' ` +
    `AND seq > ${after} AND seq <= ${through} ORDER BY seq LIMIT ${limit}) TO STDOUT (FORMAT binary)`;
  const client = isClient(db) ? db : await (db as pg.Pool).connect();
  try {
    return parseCopiedEntries(await readAll(client.query(copyTo(sql))));
  } finally {
    if (client !== db) client.release();
  }
}

/** Whether `copyEntries` can run on this connection (a pool or a client; a bare `query` cannot). */
export function canCopy(db: Queryable): boolean {
  return isClient(db) || 'totalCount' in db;
}

function isClient(db: Queryable): db is pg.PoolClient {
  return 'release' in db;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Rows of (seq bigint, canonical bytea, entry_hash bytea) in the binary COPY format. */
export function parseCopiedEntries(data: Buffer): StoredEntry[] {
  if (data.length === 0) return [];
  if (data.length < 19 || !data.subarray(0, 11).equals(SIGNATURE))
    throw new Error('copyEntries: not a binary COPY stream');
  let at = 15;
  at += 4 + data.readInt32BE(at); // header extension
  const entries: StoredEntry[] = [];
  for (;;) {
    const fields = data.readInt16BE(at);
    at += 2;
    if (fields === -1) return entries;
    if (fields !== 3) throw new Error('copyEntries: unexpected row shape');
    if (data.readInt32BE(at) !== 8) throw new Error('copyEntries: seq is not a bigint');
    const sequence = Number(data.readBigInt64BE(at + 4));
    at += 12;
    const canonicalLength = data.readInt32BE(at);
    at += 4;
    if (canonicalLength < 0) throw new Error('copyEntries: NULL canonical');
    const canonical = data.subarray(at, at + canonicalLength);
    at += canonicalLength;
    const hashLength = data.readInt32BE(at);
    at += 4;
    if (hashLength < 0) throw new Error('copyEntries: NULL entry hash');
    const entryHash = data.subarray(at, at + hashLength);
    at += hashLength;
    if (at > data.length) throw new Error('copyEntries: truncated COPY stream');
    entries.push({ sequence, canonical, entryHash });
  }
}
