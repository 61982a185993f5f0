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
  /** Where the next read starts: the last delivered row, or `after` when none was. */
  checkpoint: Checkpoint;
  /**
   * True when committed rows exist past the checkpoint but an older transaction is still open:
   * they are held back until it ends. Persistently true means a stalled reader.
   */
  heldBack: boolean;
}

interface Marked {
  tx_: string;
  pos_: number;
  visible_: boolean;
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
  const t = `${quoteIdent(q.schema)}.${quoteIdent(q.table)}`;
  const pos = quoteIdent(q.positionColumn);
  const filter = q.where ? `AND (${q.where})` : '';
  const res = await db.query<Row & Marked>(
    `WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
     SELECT ${q.columns}, t.transaction_id::text AS tx_, t.${pos} AS pos_, (t.transaction_id < snap.xmin) AS visible_
     FROM ${t} t, snap
     WHERE (t.transaction_id, t.${pos}) > ($1::xid8, $2::bigint) ${filter}
     ORDER BY t.transaction_id, t.${pos}
     LIMIT $3`,
    [q.after.transactionId, q.after.position, q.limit, ...(q.params ?? [])],
  );
  const rows: Row[] = [];
  let checkpoint = q.after;
  for (const r of res.rows) {
    if (!r.visible_) return { rows, checkpoint, heldBack: true };
    checkpoint = { transactionId: r.tx_, position: r.pos_ };
    rows.push(r);
  }
  return { rows, checkpoint, heldBack: false };
}
