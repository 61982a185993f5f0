import { quoteIdent, type Pool, type Queryable } from '@medspa/db';
import type { Logger } from '@medspa/observability';
import { describeFailure } from './failures.js';

/**
 * How long a consumer remembers the messages it applied. It must outlast every way a message can
 * come again: Kafka keeps a topic 7 days by default (a group reset to the earliest offset replays
 * that far back), and a Postgres-tail consumer re-reads only past its checkpoint. Past that, the
 * rows only grow the table: a clinic's year of messages would be kept for nothing.
 */
export const DEFAULT_PROCESSED_RETENTION_DAYS = 14;
const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 60 * 60_000;
/** Rows per DELETE: short statements, so a large first sweep never holds locks or a snapshot long. */
const ROWS_PER_STATEMENT = 5_000;

/** Deletes this consumer's `processed_messages` older than `before`; the number deleted. */
export async function forgetProcessedBefore(
  db: Queryable,
  schema: string,
  consumer: string,
  before: Date,
): Promise<number> {
  const table = `${quoteIdent(schema)}.processed_messages`;
  let deleted = 0;
  for (;;) {
    const res = await db.query(
      `DELETE FROM ${table} WHERE (consumer, message_id) IN (
         SELECT consumer, message_id FROM ${table}
         WHERE consumer = $1 AND processed_at < $2 LIMIT ${ROWS_PER_STATEMENT})`,
      [consumer, before],
    );
    deleted += res.rowCount ?? 0;
    if ((res.rowCount ?? 0) < ROWS_PER_STATEMENT) return deleted;
  }
}

export interface ProcessedRetentionOptions {
  pool: Pool;
  schema: string;
  consumer: string;
  retentionDays?: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Sweeps the consumer's old `processed_messages` once at start and then hourly, in the background;
 * the returned function stops it (waiting for a sweep in progress). A failed sweep is logged and
 * tried again at the next hour: forgetting late costs only disk.
 */
export function startProcessedRetention(options: ProcessedRetentionOptions): () => Promise<void> {
  const retentionMs = (options.retentionDays ?? DEFAULT_PROCESSED_RETENTION_DAYS) * DAY_MS;
  if (!(retentionMs > 0)) throw new Error('processed-message retention must be a positive number of days');
  const now = options.now ?? (() => new Date());
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= forgetProcessedBefore(
      options.pool,
      options.schema,
      options.consumer,
      new Date(now().getTime() - retentionMs),
    )
      .then(
        (deleted) => {
          if (deleted > 0)
            options.logger.info({ consumer: options.consumer, deleted }, 'forgot old processed messages');
        },
        (e: unknown) =>
          options.logger.warn(
            { consumer: options.consumer, ...describeFailure(e) },
            'processed-message retention sweep failed',
          ),
      )
      .finally(() => (running = undefined));
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
