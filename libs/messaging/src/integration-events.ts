import type { AppendedEvent, DomainEvent, OutboxMessage } from '@medspa/eventstore';
import { envelopeHeaders } from './envelope.js';
import { eventsTopic } from './topics.js';

/** What ts-proto generates for every message: `encode(message).finish()` gives its bytes. */
export interface ProtoEncoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

/** An integration event: a proto message with ids and non-PHI facts, and its fully qualified type. */
export interface IntegrationEvent<T = unknown> {
  /** Fully qualified proto message name, e.g. `medspa.scheduling.v1.AppointmentBooked`. */
  type: string;
  encoder: ProtoEncoder<T>;
  message: T;
}

/** Pairs a ts-proto message with its type name, so that the mapping's cases read as one line each. */
export function integrationEvent<T>(type: string, encoder: ProtoEncoder<T>, message: T): IntegrationEvent<T> {
  return { type, encoder, message };
}

/** The appended event as the mapping sees it: the service's own event union, in plaintext. */
export interface MappedEvent<E extends DomainEvent> extends Omit<AppendedEvent, 'event'> {
  event: E;
}

/**
 * A service's one mapping from every domain event to its integration event: a `switch` over the
 * event union ending in `const _exhaustive: never = event`, so that a new event type does not
 * compile until it is mapped (ARCHITECTURE.md: the audit log misses nothing).
 */
export type IntegrationEventMapping<E extends DomainEvent> = (appended: MappedEvent<E>) => IntegrationEvent;

export interface OutboxMapperOptions<E extends DomainEvent> {
  /** The producing service, as in its topic `medspa.<service>.events.v1`. */
  service: string;
  /** Prepended to the topic (tests); empty in services. */
  topicPrefix?: string;
  map: IntegrationEventMapping<E>;
}

/**
 * The event store's `toOutbox` option for a service: each appended event becomes one message on
 * the service's topic, keyed by stream id (order per aggregate), with the proto-encoded integration
 * event as payload and the envelope in headers. The message id is the event id, which consumers
 * record to stay idempotent.
 */
export function createOutboxMapper<E extends DomainEvent>(
  options: OutboxMapperOptions<E>,
): (appended: AppendedEvent) => OutboxMessage {
  const topic = eventsTopic(options.service, options.topicPrefix);
  return (appended) => {
    // The store hands over its generic DomainEvent; a service's store only ever appends its own union.
    const integration = options.map(appended as MappedEvent<E>);
    return {
      messageId: appended.eventId,
      topic,
      key: appended.streamId,
      type: integration.type,
      payload: integration.encoder.encode(integration.message).finish(),
      headers: envelopeHeaders(appended.metadata, {
        eventId: appended.eventId,
        eventType: integration.type,
        occurredAt: appended.occurredAt,
      }),
    };
  };
}
