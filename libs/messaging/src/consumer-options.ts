import type { Pool } from '@medspa/db';
import type { Logger } from '@medspa/observability';
import type { Backoff } from './backoff.js';
import type { DeliveryOutcome, MessageHandler } from './delivery.js';

/** What became of one delivered message, after its effect (or its parking) committed. */
export interface SettledMessage {
  messageId: string;
  topic: string;
  key: string;
  outcome: DeliveryOutcome;
  attempts: number;
}

/** What every consumer takes, whichever transport feeds it. */
export interface ConsumerOptions {
  /**
   * Names the consumer: its Kafka consumer group, and its rows in `processed_messages`,
   * `tail_checkpoints` and `dead_letters`. Stable across deploys, e.g. `audit.integration-events`.
   */
  groupId: string;
  topics: readonly string[];
  handler: MessageHandler;
  /** The consuming service's pool and schema (its app role). */
  pool: Pool;
  schema: string;
  /** Attempts before a transiently failing message is parked. Default 5. */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Overrides which failures are retried (default: all but business failures). */
  isTransient?: (e: unknown) => boolean;
  logger?: Logger;
  /**
   * Called after a message is settled and before its position is committed (metrics, tests).
   * A throw leaves the position uncommitted, as a crash there would: the message is redelivered.
   */
  onSettled?: (settled: SettledMessage) => void | Promise<void>;
  /**
   * Days a message's `processed_messages` row is kept (default 14): longer than any redelivery can
   * come, i.e. longer than the topic's retention in Kafka.
   */
  processedRetentionDays?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/** A running consumer. */
export interface MessageConsumer {
  /** Resolves once the consumer receives messages (Kafka: joined its group). */
  start(): Promise<void>;
  /** Stops after the message in flight; a retry wait in progress is cut short and left undone. */
  stop(): Promise<void>;
}
