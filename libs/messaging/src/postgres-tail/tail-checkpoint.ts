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
