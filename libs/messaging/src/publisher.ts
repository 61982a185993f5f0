/** A message on its way to a broker: what the relay reads from the outbox. */
export interface OutgoingMessage {
  topic: string;
  key: string;
  /** The envelope (and any transport headers), as text. */
  headers: Record<string, string>;
  payload: Uint8Array;
}

/**
 * Where the relay publishes. `publish` resolves only when the broker has durably acknowledged every
 * message (Kafka: acks from all in-sync replicas), in order per topic and key; it may have sent some
 * of them when it rejects, which the relay's at-least-once contract absorbs.
 */
export interface MessagePublisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
}
