import { quoteIdent, type Queryable } from '@medspa/db';
import type { Checkpoint } from './types.js';

export interface GapSafeQuery {
  schema: string;
  table: string;
  /** The identity column that orders rows within a transaction. */
  positionColumn: string;
  /** Columns to return, as SQL. */
  columns: string;
  after: Checkpoint;
  limit: number;
  /** Extra filter on the table's columns, as SQL with parameters from $4 on. */
  where?: string;
  params?: unknown[];
}

export interface GapSafeBatch<Row> {
  rows: Row[];
  /**
   * Where the next read starts: the last delivered row, or `after` when none was. A filtered read
   * that was not cut short by its limit goes further: to the last committed row of the whole table,
   * since every row it skipped up to there failed the filter (so a reader of rare rows does not
   * rescan everything others wrote since its last one).
   */
  checkpoint: Checkpoint;
  /**
   * True when committed rows exist past the checkpoint but an older transaction is still open:
   * they are held back until it ends. Persistently true means a stalled reader.
   */
  heldBack: boolean;
}

interface Marked {
  tx_: string | null;
  pos_: number | null;
  visible_: boolean | null;
}

interface Head {
  head_tx_: string | null;
  head_pos_: number | null;
}

/**
 * Reads a log table in commit-safe order. Rows are ordered by (transaction_id, position) and only
 * rows of transactions older than every transaction still open (the snapshot's xmin) are delivered,
 * so a transaction that took its position early but commits late is never skipped. The xmin is
 * cluster-wide: one long transaction anywhere holds every reader back (see `heldBack`).
 */
export async function readGapSafe<Row extends object>(
  db: Queryable,
  q: GapSafeQuery,
): Promise<GapSafeBatch<Row>> {
  if (q.where === undefined) return readAll<Row>(db, q);
  return readFiltered<Row>(db, q);
}

const tableOf = (q: GapSafeQuery) => `${quoteIdent(q.schema)}.${quoteIdent(q.table)}`;

async function readAll<Row extends object>(db: Queryable, q: GapSafeQuery): Promise<GapSafeBatch<Row>> {
  const pos = quoteIdent(q.positionColumn);
  const res = await db.query<Row & Marked>(
    `WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
     SELECT ${q.columns}, t.transaction_id::text AS tx_, t.${pos} AS pos_, (t.transaction_id < snap.xmin) AS visible_
     FROM ${tableOf(q)} t, snap
     WHERE (t.transaction_id, t.${pos}) > ($1::xid8, $2::bigint)
     ORDER BY t.transaction_id, t.${pos}
     LIMIT $3`,
    [q.after.transactionId, q.after.position, q.limit],
  );
  return deliver(res.rows, q);
}

/**
 * The filtered read, and in the same statement (so the same snapshot) the last committed row of the
 * table past `after`: the head that a batch not cut short by its limit may advance to. Always one
 * row at least (the head's, with the batch's columns null when nothing matched).
 */
async function readFiltered<Row extends object>(db: Queryable, q: GapSafeQuery): Promise<GapSafeBatch<Row>> {
  const pos = quoteIdent(q.positionColumn);
  const res = await db.query<Row & Marked & Head>(
    `WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     batch AS MATERIALIZED (
       SELECT ${q.columns}, t.transaction_id AS order_tx_, t.transaction_id::text AS tx_, t.${pos} AS pos_,
         (t.transaction_id < snap.xmin) AS visible_
       FROM ${tableOf(q)} t, snap
       WHERE (t.transaction_id, t.${pos}) > ($1::xid8, $2::bigint) AND (${q.where})
       ORDER BY t.transaction_id, t.${pos}
       LIMIT $3),
     head AS MATERIALIZED (
       SELECT t.transaction_id::text AS head_tx_, t.${pos} AS head_pos_
       FROM ${tableOf(q)} t, snap
       WHERE (t.transaction_id, t.${pos}) > ($1::xid8, $2::bigint) AND t.transaction_id < snap.xmin
       ORDER BY t.transaction_id DESC, t.${pos} DESC
       LIMIT 1)
     SELECT batch.*, head.head_tx_, head.head_pos_
     FROM (SELECT 1) one LEFT JOIN head ON true LEFT JOIN batch ON true
     ORDER BY batch.order_tx_, batch.pos_`,
    [q.after.transactionId, q.after.position, q.limit, ...(q.params ?? [])],
  );
  const matched = res.rows.filter((r) => r.tx_ !== null);
  const batch = deliver<Row>(matched, q);
  const head = res.rows[0];
  // Cut short by the limit: rows past the last one may match. Otherwise every committed row up to
  // the head was either delivered or failed the filter (rows still held back all sort after it).
  const full = matched.length === q.limit && matched.every((r) => r.visible_);
  if (full || head?.head_tx_ == null || head.head_pos_ == null) return batch;
  return { ...batch, checkpoint: { transactionId: head.head_tx_, position: head.head_pos_ } };
}

function deliver<Row extends object>(rows: (Row & Marked)[], q: GapSafeQuery): GapSafeBatch<Row> {
  const delivered: Row[] = [];
  let checkpoint = q.after;
  for (const r of rows) {
    if (!r.visible_) return { rows: delivered, checkpoint, heldBack: true };
    checkpoint = { transactionId: r.tx_!, position: r.pos_! };
    delivered.push(r);
  }
  return { rows: delivered, checkpoint, heldBack: false };
}

/**
 * How far past its stored checkpoint a filtered reader has found nothing of its own, valid while the
 * stored checkpoint stays where it was (a reset or a rebuild moves it, and the scan starts over from
 * there). Kept in memory: storing it after every empty read would cost a commit per poll, and losing
 * it costs one rescan.
 */
export class ScanAhead {
  private scanned: { base: Checkpoint; to: Checkpoint } | undefined;

  /** Where the next read starts, given the checkpoint as stored now. */
  from(stored: Checkpoint): Checkpoint {
    const s = this.scanned;
    return s !== undefined && sameCheckpoint(s.base, stored) ? s.to : stored;
  }

  /** A read from `from(stored)` delivered nothing and reached `to`. */
  foundNothing(stored: Checkpoint, to: Checkpoint): void {
    this.scanned = { base: stored, to };
  }

  /** The stored checkpoint moved on (a batch was applied): start from it. */
  clear(): void {
    this.scanned = undefined;
  }
}

export const sameCheckpoint = (a: Checkpoint, b: Checkpoint): boolean =>
  a.transactionId === b.transactionId && a.position === b.position;
