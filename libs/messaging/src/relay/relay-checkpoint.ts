import { quoteIdent, type Queryable } from '@medspa/db';
import { START, type Checkpoint } from '@medspa/eventstore';

/** Where relay `relay` stopped publishing this schema's outbox; START before its first batch. */
export async function loadRelayCheckpoint(db: Queryable, schema: string, relay: string): Promise<Checkpoint> {
  const res = await db.query<{ transaction_id: string; position: number }>(
    `SELECT transaction_id::text AS transaction_id, position FROM ${quoteIdent(schema)}.relay_checkpoints WHERE relay = $1`,
    [relay],
  );
  const row = res.rows[0];
  return row === undefined ? START : { transactionId: row.transaction_id, position: row.position };
}

/** Stores the relay's checkpoint after a batch is acknowledged by the broker. */
export async function saveRelayCheckpoint(
  db: Queryable,
  schema: string,
  relay: string,
  checkpoint: Checkpoint,
): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(schema)}.relay_checkpoints (relay, transaction_id, position)
     VALUES ($1, $2::xid8, $3)
     ON CONFLICT (relay) DO UPDATE SET transaction_id = EXCLUDED.transaction_id,
       position = EXCLUDED.position, updated_at = now()`,
    [relay, checkpoint.transactionId, checkpoint.position],
  );
}
