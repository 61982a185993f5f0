import { quoteIdent, type Queryable } from '@medspa/db';
import { START, type Checkpoint } from '@medspa/eventstore';

/** How far consumer `consumer` has read the outbox of `producerSchema`; START at first. */
export async function loadTailCheckpoint(
  db: Queryable,
  schema: string,
  consumer: string,
  producerSchema: string,
): Promise<Checkpoint> {
  const res = await db.query<{ transaction_id: string; position: number }>(
    `SELECT transaction_id::text AS transaction_id, position FROM ${quoteIdent(schema)}.tail_checkpoints
     WHERE consumer = $1 AND producer_schema = $2`,
    [consumer, producerSchema],
  );
  const row = res.rows[0];
  return row === undefined ? START : { transactionId: row.transaction_id, position: row.position };
}

/**
 * A consumer that has never read `producerSchema` starts at its outbox's last committed row (all
 * rows of transactions still open come after it), so it sees only messages written from now on.
 * A consumer with a checkpoint keeps it.
 */
export async function startTailAtHead(
  db: Queryable,
  schema: string,
  consumer: string,
  producerSchema: string,
): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(schema)}.tail_checkpoints (consumer, producer_schema, transaction_id, position)
     SELECT $1, $2, o.transaction_id, o.position FROM ${quoteIdent(producerSchema)}.outbox o
      WHERE o.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY o.transaction_id DESC, o.position DESC LIMIT 1
     ON CONFLICT (consumer, producer_schema) DO NOTHING`,
    [consumer, producerSchema],
  );
}

/** Moves the consumer's checkpoint past a settled message (applied, skipped or parked). */
export async function saveTailCheckpoint(
  db: Queryable,
  schema: string,
  consumer: string,
  producerSchema: string,
  checkpoint: Checkpoint,
): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(schema)}.tail_checkpoints (consumer, producer_schema, transaction_id, position)
     VALUES ($1, $2, $3::xid8, $4)
     ON CONFLICT (consumer, producer_schema) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
       position = EXCLUDED.position, updated_at = now()`,
    [consumer, producerSchema, checkpoint.transactionId, checkpoint.position],
  );
}
