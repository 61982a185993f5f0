/** What a decider emits: a past-tense type and a JSON-serialisable payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

/** Who did it and in which causal chain; stored with every event and copied to every message. */
export interface EventMetadata {
  tenantId: string;
  actor: { id: string; role: string };
  correlationId: string;
  causationId?: string;
  traceparent?: string;
}

/** A gap-safe position in a log: the committing transaction, then the row's position within it. */
export interface Checkpoint {
  transactionId: string;
  position: number;
}

export const START: Checkpoint = { transactionId: '0', position: 0 };

export interface RecordedEvent<E extends DomainEvent = DomainEvent> {
  eventId: string;
  type: E['type'];
  data: E['data'];
  schemaVersion: number;
  metadata: EventMetadata;
  streamId: string;
  streamType: string;
  streamVersion: number;
  globalPosition: number;
  transactionId: string;
  recordedAt: Date;
}

/**
 * The version the writer read. A number (0 means the stream must not exist yet), `no_stream`, or
 * `any` to append whatever the stream holds (still gapless, still racing writers conflict).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

/** An event to append, with an id chosen by the writer so that a retried append is idempotent. */
export interface EventToAppend<E extends DomainEvent = DomainEvent> {
  event: E;
  eventId?: string;
  schemaVersion?: number;
}

/** A message for other services, written to the outbox in the same statement as the events. */
export interface OutboxMessage {
  messageId: string;
  topic: string;
  key: string;
  type: string;
  payload: Uint8Array;
  headers: Record<string, string>;
}

export interface AppendResult {
  /** The stream's version after the append. */
  nextExpectedVersion: number;
  globalPositions: number[];
  eventIds: string[];
  /** True when every event id was already stored: a retried append that changed nothing. */
  idempotentReplay: boolean;
}
