// Public API of @medspa/messaging: integration and access events into the outbox, the relay to
// Kafka, and consumers over Kafka or the Postgres tail. kafkajs stays behind this package.
export * from './access-events.js';
export * from './backoff.js';
export type { BatchMessageHandler } from './batch-delivery.js';
export type { ConsumerOptions, MessageConsumer, SettledMessage } from './consumer-options.js';
export type { DeliveryOutcome, MessageHandler } from './delivery.js';
export * from './envelope.js';
export * from './failures.js';
export * from './grants.js';
export type { IncomingMessage, TransportName } from './incoming-message.js';
export * from './integration-events.js';
export * from './migrations.js';
export type { MessagePublisher, OutgoingMessage } from './publisher.js';
export * from './redrive.js';
export { DEFAULT_PROCESSED_RETENTION_DAYS, forgetProcessedBefore } from './processed-retention.js';
export * from './topics.js';
export { createOutboxRelay } from './relay/outbox-relay.js';
export type { OutboxRelay, OutboxRelayOptions } from './relay/outbox-relay.js';
export type { KafkaConnection } from './kafka/kafka-client.js';
export { kafkaConnectionOf } from './kafka/kafka-settings.js';
export type { KafkaSettings } from './kafka/kafka-settings.js';
export { createKafkaPublisher } from './kafka/kafka-publisher.js';
export type { KafkaPublisher, KafkaPublisherOptions } from './kafka/kafka-publisher.js';
export { createKafkaConsumer } from './kafka/kafka-consumer.js';
export type { KafkaConsumerOptions } from './kafka/kafka-consumer.js';
export { DEAD_LETTER_HEADER_KEYS } from './kafka/dead-letter-headers.js';
export { redriveKafkaDeadLetters } from './kafka/kafka-redrive.js';
export type { KafkaRedriveOptions } from './kafka/kafka-redrive.js';
export { ensureTopics } from './kafka/kafka-topics.js';
export type { TopicSpec } from './kafka/kafka-topics.js';
export { createPostgresTailConsumer } from './postgres-tail/postgres-tail-consumer.js';
export type { PostgresTailConsumerOptions } from './postgres-tail/postgres-tail-consumer.js';
export { listDeadLetters, requestRedrive } from './postgres-tail/dead-letters.js';
// For consumers that read the outbox their own way (the audit's batched tail) but keep the same bookkeeping.
export { loadTailCheckpoint, saveTailCheckpoint } from './postgres-tail/tail-checkpoint.js';
export type { DeadLetter } from './postgres-tail/dead-letters.js';
