import { quoteIdent, type Queryable } from '@medspa/db';
import { START, type Checkpoint } from '@medspa/eventstore';

interface CheckpointRow {
  transaction_id: string;
  position: number;
}

/** A projection's checkpoint, creating it at the start of the log the first time. */
export async function loadCheckpoint(db: Queryable, schema: string, projection: string): Promise<Checkpoint> {
  const table = `${quoteIdent(schema)}.projection_checkpoints`;
  const found = await db.query<CheckpointRow>(
    `SELECT transaction_id::text AS transaction_id, position FROM ${table} WHERE name = $1`,
    [projection],
  );
  const row =
    found.rows[0] ??
    (
      await db.query<CheckpointRow>(
        `INSERT INTO ${table} (name) VALUES ($1)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
         RETURNING transaction_id::text AS transaction_id, position`,
        [projection],
      )
    ).rows[0];
  if (row === undefined) throw new Error(`No checkpoint row for projection ${projection}`);
  return { transactionId: row.transaction_id, position: row.position };
}

/**
 * Moves a checkpoint from `from` to `to`, compare-and-set: false when the row no longer holds `from`
 * (a rebuild reset it, or another writer moved it), in which case the caller must roll back. Under
 * READ COMMITTED a concurrent update is waited for and the condition re-checked on the new row.
 */
export async function advanceCheckpoint(
  db: Queryable,
  schema: string,
  projection: string,
  from: Checkpoint,
  to: Checkpoint,
): Promise<boolean> {
  const res = await db.query(
    `UPDATE ${quoteIdent(schema)}.projection_checkpoints
     SET transaction_id = $4::xid8, position = $5, updated_at = now()
     WHERE name = $1 AND transaction_id = $2::xid8 AND position = $3`,
    [projection, from.transactionId, from.position, to.transactionId, to.position],
  );
  return res.rowCount === 1;
}

/** Puts a checkpoint back to the start of the log (inside a rebuild's transaction). */
export async function resetCheckpoint(db: Queryable, schema: string, projection: string): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(schema)}.projection_checkpoints (name, transaction_id, position)
     VALUES ($1, $2::xid8, $3)
     ON CONFLICT (name) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
       position = EXCLUDED.position, updated_at = now()`,
    [projection, START.transactionId, START.position],
  );
}
