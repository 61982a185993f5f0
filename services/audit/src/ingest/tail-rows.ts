import { fromEnvelopeHeaders } from '@medspa/contracts';
import { quoteIdent, type Queryable } from '@medspa/db';
import { errors } from '@medspa/errors';
import { readGapSafe, type Checkpoint, type GapSafeBatch } from '@medspa/eventstore';
import { describeFailure, type IncomingMessage } from '@medspa/messaging';
import type { AuditRecord } from '../domain/audit-record.js';
import { toAuditRecord } from './to-audit-record.js';

// The SQL of libs/messaging's Postgres-tail consumer (its outbox reader, tail_checkpoints and
// dead_letters rows), repeated here because the lib delivers one message per transaction and the
// audit ingest needs whole batches (see batched-tail-consumer.ts). Same tables, same rows: the lib's
// redrive CLI and `listDeadLetters` work on what this writes.

/** One row of a producer's outbox. */
export interface OutboxRow {
  message_id: string;
  topic: string;
  message_key: string;
  message_type: string;
  payload: Buffer;
  headers: Record<string, string>;
}

export async function readOutboxBatch(
  db: Queryable,
  producerSchema: string,
  after: Checkpoint,
  limit: number,
  topics: readonly string[],
): Promise<GapSafeBatch<OutboxRow>> {
  return readGapSafe<OutboxRow>(db, {
    schema: producerSchema,
    table: 'outbox',
    positionColumn: 'position',
    columns: 't.message_id, t.topic, t.message_key, t.message_type, t.payload, t.headers',
    after,
    limit,
    where: 't.topic = ANY($4::text[])',
    params: [topics],
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A parked message: what could not become an entry, and why (a code, never the payload). */
export interface Rejected {
  row: OutboxRow;
  /** The envelope's id, or the outbox row's id when the envelope has none. */
  messageId: string;
  errorClass: string;
  reason: string;
}

export type Mapped = { ok: true; record: AuditRecord } | { ok: false; rejected: Rejected };

/** The entry an outbox row becomes, or why it is parked (the lib's envelope check, then `toAuditRecord`). */
export function mapRow(row: OutboxRow): Mapped {
  try {
    const envelope = fromEnvelopeHeaders(row.headers);
    if (!UUID.test(envelope.eventId)) {
      throw errors.validation('ENVELOPE_EVENT_ID_INVALID', 'The envelope event_id is not a UUID');
    }
    const message: IncomingMessage = {
      messageId: envelope.eventId.toLowerCase(),
      topic: row.topic,
      key: row.message_key,
      type: envelope.eventType,
      envelope,
      headers: row.headers,
      payload: row.payload,
      transport: 'postgres',
      attempt: 1,
    };
    return { ok: true, record: toAuditRecord(message) };
  } catch (e) {
    return { ok: false, rejected: rejectedFor(row, e) };
  }
}

export function rejectedFor(row: OutboxRow, e: unknown): Rejected {
  const failure = describeFailure(e);
  return { row, messageId: row.message_id, errorClass: failure.errorClass, reason: failure.reason };
}

/** Parks messages in one statement (again, if a re-driven one failed once more). */
export async function parkRejected(
  db: Queryable,
  schema: string,
  consumer: string,
  rejected: readonly Rejected[],
): Promise<void> {
  // One row per id: ON CONFLICT cannot touch the same row twice in a statement.
  const unique = [...new Map(rejected.map((r) => [r.messageId, r])).values()];
  if (unique.length === 0) return;
  await db.query(
    `INSERT INTO ${quoteIdent(schema)}.dead_letters
       (consumer, message_id, topic, message_key, message_type, payload, headers, error_class, error_reason, attempts)
     SELECT $1, r.*, 1 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::jsonb[],
       $8::text[], $9::text[]) AS r
     ON CONFLICT (consumer, message_id) DO UPDATE SET error_class = EXCLUDED.error_class,
       error_reason = EXCLUDED.error_reason, attempts = ${quoteIdent(schema)}.dead_letters.attempts + 1,
       parked_at = now(), redrive_requested_at = NULL, resolved_at = NULL`,
    [
      consumer,
      unique.map((r) => r.messageId),
      unique.map((r) => r.row.topic),
      unique.map((r) => r.row.message_key),
      unique.map((r) => r.row.message_type),
      unique.map((r) => r.row.payload),
      unique.map((r) => JSON.stringify(r.row.headers)),
      unique.map((r) => r.errorClass),
      unique.map((r) => r.reason),
    ],
  );
}

/** Parked messages that re-drive asked to deliver again, as outbox rows. */
export async function redriveRequested(
  db: Queryable,
  schema: string,
  consumer: string,
  limit: number,
): Promise<OutboxRow[]> {
  const res = await db.query<OutboxRow>(
    `SELECT message_id, topic, message_key, message_type, payload, headers FROM ${quoteIdent(schema)}.dead_letters
     WHERE consumer = $1 AND redrive_requested_at IS NOT NULL AND resolved_at IS NULL
     ORDER BY parked_at, message_id LIMIT $2`,
    [consumer, limit],
  );
  return res.rows;
}

export async function resolveRedriven(
  db: Queryable,
  schema: string,
  consumer: string,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  await db.query(
    `UPDATE ${quoteIdent(schema)}.dead_letters SET resolved_at = now(), redrive_requested_at = NULL
     WHERE consumer = $1 AND message_id = ANY($2::uuid[])`,
    [consumer, messageIds],
  );
}
