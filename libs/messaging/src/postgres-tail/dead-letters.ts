import { quoteIdent, type Queryable } from '@medspa/db';
import type { FailureDescription } from '../failures.js';
import type { RawMessage } from '../incoming-message.js';

/** A message a Postgres-tail consumer parked, as stored in its schema's `dead_letters`. */
export interface DeadLetter {
  consumer: string;
  messageId: string;
  topic: string;
  key: string;
  type: string;
  payload: Buffer;
  headers: Record<string, string>;
  errorClass: string;
  errorReason: string;
  attempts: number;
  parkedAt: Date;
  redriveRequestedAt: Date | null;
  resolvedAt: Date | null;
}

interface DeadLetterRow {
  consumer: string;
  message_id: string;
  topic: string;
  message_key: string;
  message_type: string;
  payload: Buffer;
  headers: Record<string, string>;
  error_class: string;
  error_reason: string;
  attempts: number;
  parked_at: Date;
  redrive_requested_at: Date | null;
  resolved_at: Date | null;
}

const fromRow = (r: DeadLetterRow): DeadLetter => ({
  consumer: r.consumer,
  messageId: r.message_id,
  topic: r.topic,
  key: r.message_key,
  type: r.message_type,
  payload: r.payload,
  headers: r.headers,
  errorClass: r.error_class,
  errorReason: r.error_reason,
  attempts: r.attempts,
  parkedAt: r.parked_at,
  redriveRequestedAt: r.redrive_requested_at,
  resolvedAt: r.resolved_at,
});

export const deadLetterAsRaw = (d: DeadLetter): RawMessage => ({
  topic: d.topic,
  key: d.key,
  headers: d.headers,
  payload: d.payload,
});

export interface ParkedMessage {
  messageId: string;
  type: string;
  raw: RawMessage;
}

/** Parks a message (again, if it was parked before and failed once more). */
export async function parkDeadLetter(
  db: Queryable,
  schema: string,
  consumer: string,
  parked: ParkedMessage,
  attempts: number,
  failure: FailureDescription,
): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(schema)}.dead_letters
       (consumer, message_id, topic, message_key, message_type, payload, headers, error_class, error_reason, attempts)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (consumer, message_id) DO UPDATE SET error_class = EXCLUDED.error_class,
       error_reason = EXCLUDED.error_reason, attempts = EXCLUDED.attempts, parked_at = now(),
       redrive_requested_at = NULL, resolved_at = NULL`,
    [
      consumer,
      parked.messageId,
      parked.raw.topic,
      parked.raw.key,
      parked.type,
      Buffer.from(parked.raw.payload),
      JSON.stringify(parked.raw.headers),
      failure.errorClass,
      failure.reason,
      attempts,
    ],
  );
}

/** The consumer's dead letters, oldest first; only unresolved ones unless `all`. */
export async function listDeadLetters(
  db: Queryable,
  schema: string,
  consumer: string,
  opts: { all?: boolean; redriveRequested?: boolean; limit?: number } = {},
): Promise<DeadLetter[]> {
  const res = await db.query<DeadLetterRow>(
    `SELECT * FROM ${quoteIdent(schema)}.dead_letters
     WHERE consumer = $1 AND ($2 OR resolved_at IS NULL) AND (NOT $3 OR redrive_requested_at IS NOT NULL)
     ORDER BY parked_at, message_id LIMIT $4`,
    [consumer, opts.all === true, opts.redriveRequested === true, opts.limit ?? 1000],
  );
  return res.rows.map(fromRow);
}

/**
 * Asks the running consumer to deliver its parked messages again (all, or these ids); returns how
 * many were marked. Idempotent: marking twice re-drives once, and an applied message is skipped.
 */
export async function requestRedrive(
  db: Queryable,
  schema: string,
  consumer: string,
  messageIds?: readonly string[],
): Promise<number> {
  const res = await db.query(
    `UPDATE ${quoteIdent(schema)}.dead_letters SET redrive_requested_at = coalesce(redrive_requested_at, now())
     WHERE consumer = $1 AND resolved_at IS NULL AND ($2::uuid[] IS NULL OR message_id = ANY($2::uuid[]))`,
    [consumer, messageIds ?? null],
  );
  return res.rowCount ?? 0;
}

/** Marks a re-driven message as delivered. */
export async function resolveDeadLetter(db: Queryable, schema: string, consumer: string, messageId: string) {
  await db.query(
    `UPDATE ${quoteIdent(schema)}.dead_letters SET resolved_at = now(), redrive_requested_at = NULL
     WHERE consumer = $1 AND message_id = $2`,
    [consumer, messageId],
  );
}
