import type { IncomingMessage } from '@medspa/messaging';

/** What a client is told: something of this type changed, this id. It re-reads through the API. */
export interface Signal {
  type: string;
  id: string;
}

/** A signal with the facts the gateway routes it by; `tenantId` and `service` never reach a client. */
export interface TenantSignal extends Signal {
  tenantId: string;
  /** The producing service, from the topic `medspa.<service>.events.v1`. */
  service: string;
}

const EVENTS_TOPIC = /(?:^|\.)medspa\.([a-z][a-z0-9-]*)\.events\.v\d+$/;
// Access events (PHI reads) share the topics but are audit records, not changes to show.
const NOT_SIGNALS = new Set(['AccessEvent']);

/**
 * The signal type of an integration event type: the first word of the message name is the subject,
 * the rest what happened, in snake case: `medspa.scheduling.v1.AppointmentBooked` is
 * `appointment.booked`, `...WaitlistOfferMade` is `waitlist.offer_made`.
 */
export function signalTypeOf(eventType: string): string | undefined {
  const name = eventType.split('.').at(-1) ?? '';
  if (NOT_SIGNALS.has(name)) return undefined;
  const words = name.match(/[A-Z][a-z0-9]*/g);
  if (words === null || words.length < 2 || words.join('') !== name) return undefined;
  const [subject = '', ...happened] = words.map((w) => w.toLowerCase());
  return `${subject}.${happened.join('_')}`;
}

// Services key their events by stream id, `<stream type>-<uuid>` (e.g. `appointment-<id>`); the
// API knows the entity by the uuid alone. Other keys (e.g. a calendar day's) are passed as they are.
const STREAM_ID =
  /^[a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The id a client reads the entity by: the uuid of a stream id, else the key as it is. */
export const entityIdOf = (key: string): string => STREAM_ID.exec(key)?.[1] ?? key;

/** The signal for an integration event, or undefined when it is not one to show (access events). */
export function signalOf(message: IncomingMessage): TenantSignal | undefined {
  const service = EVENTS_TOPIC.exec(message.topic)?.[1];
  const type = signalTypeOf(message.type);
  const tenantId = message.envelope.tenantId;
  if (service === undefined || type === undefined || tenantId === '' || message.key === '') return undefined;
  return { tenantId, service, type, id: entityIdOf(message.key) };
}
