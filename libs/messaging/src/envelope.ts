import { toEnvelopeHeaders } from '@medspa/contracts';
import type { EventMetadata } from '@medspa/eventstore';
import { currentTraceparent } from '@medspa/observability';

export interface EnvelopeFacts {
  /** The message id: the domain event's id, or a fresh UUIDv7 for an access event. */
  eventId: string;
  /** Fully qualified proto name of the payload, e.g. `medspa.scheduling.v1.AppointmentBooked`. */
  eventType: string;
  occurredAt: Date;
}

/**
 * The envelope of a message as Kafka headers, from the event's metadata. Without a causation id
 * the request itself (its correlation id) is the cause, as for the first event of a request;
 * without a traceparent in the metadata the active span's is taken. Empty values are left out.
 */
export function envelopeHeaders(metadata: EventMetadata, facts: EnvelopeFacts): Record<string, string> {
  const headers = toEnvelopeHeaders({
    eventId: facts.eventId,
    eventType: facts.eventType,
    tenantId: metadata.tenantId,
    actorId: metadata.actor.id,
    actorRole: metadata.actor.role,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId ?? metadata.correlationId,
    occurredAt: facts.occurredAt,
    traceparent: metadata.traceparent ?? currentTraceparent() ?? '',
  });
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== ''));
}
