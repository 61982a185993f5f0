import { fromEnvelopeHeaders, type RawHeaders } from '@medspa/contracts';
import type { EventEnvelope } from '@medspa/contracts/medspa.common.v1';
import { errors } from '@medspa/errors';

/** Which transport delivered a message; the handler contract is the same for both. */
export type TransportName = 'kafka' | 'postgres';

/**
 * A message as every consumer sees it, whichever transport delivered it: the same topic names,
 * keys, envelope and payload bytes from Kafka as from the producer's outbox.
 */
export interface IncomingMessage {
  /** The envelope's event id (UUIDv7): what the consumer records to skip redeliveries. */
  messageId: string;
  topic: string;
  /** The stream id for integration events, the subject id for access events. */
  key: string;
  /** Fully qualified proto name of the payload. */
  type: string;
  envelope: EventEnvelope;
  /** Every header as text: the envelope's, plus any the transport added. */
  headers: Readonly<Record<string, string>>;
  /** The proto-encoded integration or access event: decode with the generated `decode`. */
  payload: Uint8Array;
  transport: TransportName;
  /** 1 on the first try, counting up while a transient failure is retried. */
  attempt: number;
}

/** A message as a transport read it, before its envelope was checked. */
export interface RawMessage {
  topic: string;
  key: string;
  headers: RawHeaders;
  payload: Uint8Array;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Header values as text; Kafka may repeat a header, the first value wins as in `fromEnvelopeHeaders`. */
export function headersAsText(raw: RawHeaders): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) text[name] = first.toString();
  }
  return text;
}

/**
 * Checks a raw message's envelope and builds the IncomingMessage (attempt 1). An incomplete
 * envelope or an event id that is not a UUID is a validation error: such a message is parked at once.
 */
export function toIncomingMessage(raw: RawMessage, transport: TransportName): IncomingMessage {
  const envelope = fromEnvelopeHeaders(raw.headers);
  if (!UUID.test(envelope.eventId)) {
    throw errors.validation('ENVELOPE_EVENT_ID_INVALID', 'The envelope event_id is not a UUID');
  }
  return {
    messageId: envelope.eventId.toLowerCase(),
    topic: raw.topic,
    key: raw.key,
    type: envelope.eventType,
    envelope,
    headers: headersAsText(raw.headers),
    payload: raw.payload,
    transport,
    attempt: 1,
  };
}
