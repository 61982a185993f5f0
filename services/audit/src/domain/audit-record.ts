import { errors, type FieldViolation } from '@medspa/errors';

/** Where an entry came from, so that a redelivery can be traced to its Kafka record or outbox row. */
export interface AuditSource {
  /** `medspa.<service>.events.v1`. */
  topic: string;
  /** Kafka partition; null for the Postgres-tail transport. */
  partition: number | null;
  /** Kafka offset (int64, as a decimal string) or outbox position; null when unknown. */
  offset: string | null;
}

/** A non-PHI fact that helps a compliance query: outcome, purpose, break-glass, resource type and id. */
export type AuditDetail = string | number | boolean | null;

/**
 * One thing that happened, as the audit log keeps it: an integration event or an access event,
 * with its envelope. Ids and codes only: the platform never puts PHI in these messages.
 */
export interface AuditRecord {
  /** The envelope's event id (a UUID): the idempotency key, unique across the whole log. */
  messageId: string;
  /** The clinic (a UUID); also the chain the entry is appended to. */
  tenantId: string;
  /** Fully qualified proto name of the payload. */
  eventType: string;
  occurredAt: Date;
  actor: { id: string; role: string };
  /** Whose information it concerns (usually a patient id); null for events about no one in particular. */
  subjectId: string | null;
  /** What was done: `read`, `search`, `export`, `print`, `disclose` for accesses, `record` for state changes. */
  action: string;
  correlationId: string;
  causationId: string | null;
  source: AuditSource;
  details: Readonly<Record<string, AuditDetail>>;
  /** The proto-encoded payload exactly as received; kept as bytes, never re-encoded. */
  payload: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OFFSET = /^(0|[1-9][0-9]{0,18})$/;
const INT64_MAX = 2n ** 63n - 1n;
const MAX_TEXT = 512;

/** Throws a validation error listing every problem of a record; ids must be lower-case UUIDs. */
export function assertValidRecord(record: AuditRecord): void {
  const violations: FieldViolation[] = [];
  const bad = (field: string, message: string): void => {
    violations.push({ field, message });
  };
  if (!UUID.test(record.messageId)) bad('messageId', 'must be a lower-case UUID');
  if (!UUID.test(record.tenantId)) bad('tenantId', 'must be a lower-case UUID');
  if (Number.isNaN(record.occurredAt.getTime())) bad('occurredAt', 'must be a valid instant');
  // Field by field rather than a table of tuples: this runs for every ingested event.
  const text = (field: string, value: string | null, required: boolean): void => {
    if (value === null) {
      if (required) bad(field, 'is required');
    } else if (value === '' || value.length > MAX_TEXT) {
      bad(field, `must be 1 to ${MAX_TEXT} characters`);
    }
  };
  text('eventType', record.eventType, true);
  text('actor.id', record.actor.id, true);
  text('actor.role', record.actor.role, true);
  text('subjectId', record.subjectId, false);
  text('action', record.action, true);
  text('correlationId', record.correlationId, true);
  text('causationId', record.causationId, false);
  text('source.topic', record.source.topic, true);
  const { partition, offset } = record.source;
  if (partition !== null && !(Number.isInteger(partition) && partition >= 0 && partition < 2 ** 31)) {
    bad('source.partition', 'must be a non-negative int32');
  }
  // Fewer than 19 digits always fit in an int64: only the longest offsets need a BigInt.
  if (offset !== null && !(OFFSET.test(offset) && (offset.length < 19 || BigInt(offset) <= INT64_MAX))) {
    bad('source.offset', 'must be a non-negative int64 in decimal');
  }
  if (violations.length > 0) {
    throw errors.validation('AUDIT_RECORD_INVALID', 'The audit record is invalid', { violations });
  }
}
