import { errors } from '@medspa/errors';
import type { EventEnvelope } from './gen/medspa/common/v1/event_envelope.js';

/**
 * Kafka header names for the envelope, one per EventEnvelope field and named like it, so the
 * proto stays the single definition of what an event carries outside its payload.
 */
export const ENVELOPE_HEADER_KEYS = [
  'event_id',
  'event_type',
  'tenant_id',
  'actor_id',
  'actor_role',
  'correlation_id',
  'causation_id',
  'occurred_at',
  'traceparent',
] as const;

export type EnvelopeHeaderKey = (typeof ENVELOPE_HEADER_KEYS)[number];

/** Header values as kafkajs hands them over (and as the Postgres-tail transport stores them). */
export type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

// traceparent is optional: background work started outside any request has no trace yet.
const OPTIONAL: ReadonlySet<EnvelopeHeaderKey> = new Set(['traceparent']);

/** The envelope as string headers; `occurred_at` as an ISO-8601 UTC instant. */
export function toEnvelopeHeaders(envelope: EventEnvelope): Record<EnvelopeHeaderKey, string> {
  if (envelope.occurredAt === undefined) {
    throw errors.validation('ENVELOPE_INCOMPLETE', 'An event envelope needs occurred_at');
  }
  return {
    event_id: envelope.eventId,
    event_type: envelope.eventType,
    tenant_id: envelope.tenantId,
    actor_id: envelope.actorId,
    actor_role: envelope.actorRole,
    correlation_id: envelope.correlationId,
    causation_id: envelope.causationId,
    occurred_at: envelope.occurredAt.toISOString(),
    traceparent: envelope.traceparent,
  };
}

/** Reads the envelope back from message headers; a missing or malformed header is a validation error. */
export function fromEnvelopeHeaders(headers: RawHeaders): EventEnvelope {
  const missing: string[] = [];
  const read = (key: EnvelopeHeaderKey): string => {
    const raw = headers[key];
    const first = Array.isArray(raw) ? raw[0] : raw;
    const value = first === undefined ? '' : first.toString();
    if (value === '' && !OPTIONAL.has(key)) missing.push(key);
    return value;
  };
  const envelope: EventEnvelope = {
    eventId: read('event_id'),
    eventType: read('event_type'),
    tenantId: read('tenant_id'),
    actorId: read('actor_id'),
    actorRole: read('actor_role'),
    correlationId: read('correlation_id'),
    causationId: read('causation_id'),
    occurredAt: new Date(read('occurred_at')),
    traceparent: read('traceparent'),
  };
  if (!missing.includes('occurred_at') && Number.isNaN(envelope.occurredAt?.getTime())) {
    missing.push('occurred_at');
  }
  if (missing.length > 0) {
    throw errors.validation('ENVELOPE_INCOMPLETE', 'The event envelope headers are incomplete', {
      violations: missing.map((field) => ({ field, message: 'missing or malformed' })),
    });
  }
  return envelope;
}
