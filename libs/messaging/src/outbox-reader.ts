import type { Queryable } from '@medspa/db';
import { readGapSafe, type Checkpoint, type GapSafeBatch } from '@medspa/eventstore';

/** One row of a service's outbox, as the relay and the Postgres-tail transport read it. */
export interface OutboxRow {
  message_id: string;
  topic: string;
  message_key: string;
  message_type: string;
  payload: Buffer;
  headers: Record<string, string>;
  /** The row's own gap-safe position, for consumers that checkpoint message by message. */
  row_transaction_id: string;
  row_position: number;
}

const OUTBOX_COLUMNS = `t.message_id, t.topic, t.message_key, t.message_type, t.payload, t.headers,
  t.transaction_id::text AS row_transaction_id, t.position AS row_position`;

/**
 * The next outbox rows after `after` in commit-safe order (see `readGapSafe`), optionally only
 * those of some topics (a tail consumer reads only what it subscribed to).
 */
export async function readOutbox(
  db: Queryable,
  schema: string,
  after: Checkpoint,
  limit: number,
  topics?: readonly string[],
): Promise<GapSafeBatch<OutboxRow>> {
  return readGapSafe<OutboxRow>(db, {
    schema,
    table: 'outbox',
    positionColumn: 'position',
    columns: OUTBOX_COLUMNS,
    after,
    limit,
    ...(topics === undefined ? {} : { where: 't.topic = ANY($4::text[])', params: [topics] }),
  });
}
