import type { AuditRecord } from './audit-record.js';
import { canonicalJson, type JsonObject } from './canonical-json.js';

/** Names the layout of an entry's canonical document; a new layout gets a new name, old entries keep theirs. */
export const ENTRY_FORMAT = 'medspa.audit.entry.v1';

/**
 * The canonical bytes of an entry: RFC 8785 (JCS) JSON of `entryDocument(record)`, UTF-8. These
 * bytes are what the chain hashes and what the store keeps; verification hashes them as stored and
 * never rebuilds them, so a change to this function can never make old entries look tampered with.
 *
 * Written out directly (keys already in JCS order) because ingest canonicalises every record;
 * a unit test holds it byte-equal to the generic `canonicalJson(entryDocument(record))`.
 */
export function canonicalEntry(record: AuditRecord): Buffer {
  const r = record;
  const { topic, partition, offset } = r.source;
  return Buffer.from(
    `{"action":${text(r.action)},"actor":{"id":${text(r.actor.id)},"role":${text(r.actor.role)}},` +
      `"causationId":${optional(r.causationId)},"correlationId":${text(r.correlationId)},` +
      `"details":${canonicalJson({ ...r.details }).toString('utf8')},"eventType":${text(r.eventType)},` +
      `"format":"${ENTRY_FORMAT}","messageId":${text(r.messageId)},"occurredAt":"${r.occurredAt.toISOString()}",` +
      `"payload":"${payloadBase64(r)}","source":{"offset":${optional(offset)},` +
      `"partition":${partition === null ? 'null' : JSON.stringify(partition)},"topic":${text(topic)}},` +
      `"subjectId":${optional(r.subjectId)},"tenantId":${text(r.tenantId)}}`,
    'utf8',
  );
}

/**
 * The entry as a JSON document: `{"action","actor":{"id","role"},"causationId","correlationId",
 * "details","eventType","format","messageId","occurredAt" (ISO-8601 UTC, ms),"payload" (base64 of
 * the proto bytes),"source":{"offset","partition","topic"},"subjectId","tenantId"}`, absent values null.
 */
export function entryDocument(record: AuditRecord): JsonObject {
  return {
    format: ENTRY_FORMAT,
    tenantId: record.tenantId,
    messageId: record.messageId,
    eventType: record.eventType,
    occurredAt: record.occurredAt.toISOString(),
    actor: { id: record.actor.id, role: record.actor.role },
    subjectId: record.subjectId,
    action: record.action,
    correlationId: record.correlationId,
    causationId: record.causationId,
    source: { topic: record.source.topic, partition: record.source.partition, offset: record.source.offset },
    details: { ...record.details },
    payload: payloadBase64(record),
  };
}

const LONE_SURROGATE = /\p{Surrogate}/u;
// JCS serialises strings exactly as JSON.stringify does; lone surrogates have no UTF-8 form.
function text(value: string): string {
  if (LONE_SURROGATE.test(value)) throw new TypeError('Canonical JSON: a string holds a lone surrogate');
  return needsEscape(value) ? JSON.stringify(value) : `"${value}"`;
}

// What JSON.stringify escapes in a well-formed string (", \ and controls); ids and codes rarely hold any.
function needsEscape(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return true;
  }
  return false;
}

const optional = (value: string | null): string => (value === null ? 'null' : text(value));

const payloadBase64 = (r: AuditRecord): string =>
  Buffer.from(r.payload.buffer, r.payload.byteOffset, r.payload.byteLength).toString('base64');

/** The searchable columns stored beside the canonical bytes; queries use these, so they must agree. */
export interface EntryColumns {
  tenantId: string;
  messageId: string;
  eventType: string;
  occurredAt: string;
  actorId: string;
  actorRole: string;
  subjectId: string | null;
  action: string;
  correlationId: string;
  sourceTopic: string;
  sourcePartition: number | null;
  sourceOffset: string | null;
}

/** The columns a record is stored with (the same values its canonical bytes hold). */
export function entryColumns(record: AuditRecord): EntryColumns {
  return {
    tenantId: record.tenantId,
    messageId: record.messageId,
    eventType: record.eventType,
    occurredAt: record.occurredAt.toISOString(),
    actorId: record.actor.id,
    actorRole: record.actor.role,
    subjectId: record.subjectId,
    action: record.action,
    correlationId: record.correlationId,
    sourceTopic: record.source.topic,
    sourcePartition: record.source.partition,
    sourceOffset: record.source.offset,
  };
}

interface EntryDocument {
  format?: unknown;
  tenantId?: unknown;
  messageId?: unknown;
  eventType?: unknown;
  occurredAt?: unknown;
  actor?: { id?: unknown; role?: unknown };
  subjectId?: unknown;
  action?: unknown;
  correlationId?: unknown;
  source?: { topic?: unknown; partition?: unknown; offset?: unknown };
}

/**
 * The names of the columns that disagree with the canonical bytes (empty when all agree). Someone
 * who edits a column but not the bytes hides an entry from queries without breaking the chain, so
 * a deep verification compares them. Unreadable bytes disagree with everything.
 */
export function columnsDisagreeing(
  canonical: Buffer | string,
  columns: EntryColumns,
): (keyof EntryColumns)[] {
  let doc: EntryDocument;
  try {
    doc = JSON.parse(typeof canonical === 'string' ? canonical : canonical.toString('utf8')) as EntryDocument;
  } catch {
    return Object.keys(columns) as (keyof EntryColumns)[];
  }
  if (doc.format !== ENTRY_FORMAT) return Object.keys(columns) as (keyof EntryColumns)[];
  const stored: Record<keyof EntryColumns, unknown> = {
    tenantId: doc.tenantId,
    messageId: doc.messageId,
    eventType: doc.eventType,
    occurredAt: doc.occurredAt,
    actorId: doc.actor?.id,
    actorRole: doc.actor?.role,
    subjectId: doc.subjectId,
    action: doc.action,
    correlationId: doc.correlationId,
    sourceTopic: doc.source?.topic,
    sourcePartition: doc.source?.partition,
    sourceOffset: doc.source?.offset,
  };
  return (Object.keys(stored) as (keyof EntryColumns)[]).filter((k) => stored[k] !== columns[k]);
}
