import { pgCode, type Queryable } from '@medspa/db';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import type { AuditLogSource, LinkedEntry, StoredEntry } from '../verify/log-source.js';
import { canCopy, copyEntries } from './copy-entries.js';
import { entriesQuery, toStoredEntry, type EntryRow } from './entry-rows.js';

const LINKED = `
SELECT seq, canonical, entry_hash, prev_hash FROM audit.entries
WHERE tenant_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq`;

const CHECKPOINTS = `
SELECT seq, head_hash, previous_seq, signed_at, key_id, signature FROM audit.checkpoints
WHERE tenant_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`;

const UTF8_SESSION = `
SELECT current_setting('server_encoding') = 'UTF8' AND current_setting('client_encoding') = 'UTF8' AS utf8`;

type CheckpointRow = [number, Buffer, number, Date, string, Buffer];

/**
 * Reads a chain from Postgres for verification. Pages of bytes and hashes come through a binary
 * COPY (`copyEntries`): measured ~3x less Node CPU per entry than rows of text. Pages with the
 * searchable columns (`checkColumns`) come as row arrays, and the canonical bytes as text when the server vouches they are valid UTF-8 (half the bytes of hex, no
 * hex decoding); a page holding bytes that are not UTF-8 (tampered ones) is read again as bytes.
 */
export function pgLogSource(db: Queryable): AuditLogSource {
  let utf8: Promise<boolean> | undefined;
  const textAllowed = (): Promise<boolean> =>
    (utf8 ??= db.query<{ utf8: boolean }>(UTF8_SESSION).then((r) => r.rows[0]?.utf8 === true));

  async function readEntries(
    values: unknown[],
    withColumns: boolean,
    asText: boolean,
  ): Promise<StoredEntry[]> {
    const res = await db.query<EntryRow>({ ...entriesQuery(withColumns, asText), values, rowMode: 'array' });
    return res.rows.map((row) => toStoredEntry(row, withColumns));
  }

  return {
    async entries(chainId, after, through, limit, withColumns) {
      // The hot path of verification: raw bytes through a binary COPY (see copy-entries.ts).
      if (!withColumns && canCopy(db)) return copyEntries(db, chainId, after, through, limit);
      const values = [chainId, after, through, limit];
      if (!(await textAllowed())) return readEntries(values, withColumns, false);
      try {
        return await readEntries(values, withColumns, true);
      } catch (e) {
        // 22021: a byte sequence that is not UTF-8. Only the bytes themselves can be hashed then.
        if (pgCode(e) !== '22021') throw e;
        return readEntries(values, withColumns, false);
      }
    },
    async linkedEntries(chainId, from, to) {
      const res = await db.query<[number, Buffer, Buffer, Buffer]>({
        text: LINKED,
        values: [chainId, from, to],
        rowMode: 'array',
      });
      return res.rows.map(([sequence, canonical, entryHash, previousHash]): LinkedEntry => ({
        sequence,
        canonical,
        entryHash,
        previousHash,
      }));
    },
    async checkpoints(chainId, after, limit) {
      const res = await db.query<CheckpointRow>({
        text: CHECKPOINTS,
        values: [chainId, after, limit],
        rowMode: 'array',
      });
      return res.rows.map(
        ([sequence, headHash, previousSequence, signedAt, keyId, signature]): Checkpoint => ({
          chainId,
          sequence,
          headHash,
          previousSequence,
          signedAt,
          keyId,
          signature,
        }),
      );
    },
    async head(chainId) {
      const res = await db.query<{ head_seq: number; head_hash: Buffer }>(
        'SELECT head_seq, head_hash FROM audit.chains WHERE tenant_id = $1',
        [chainId],
      );
      const row = res.rows[0];
      return row === undefined ? undefined : { sequence: row.head_seq, hash: row.head_hash };
    },
    async lastCheckpointSequence(chainId) {
      const res = await db.query<{ seq: number | null }>(
        'SELECT max(seq) AS seq FROM audit.checkpoints WHERE tenant_id = $1',
        [chainId],
      );
      return res.rows[0]?.seq ?? 0;
    },
  };
}

/** Every chain (tenant) in the store, for a verification of the whole log. */
export async function listChains(db: Queryable): Promise<string[]> {
  const res = await db.query<{ tenant_id: string }>('SELECT tenant_id FROM audit.chains ORDER BY tenant_id');
  return res.rows.map((r) => r.tenant_id);
}
