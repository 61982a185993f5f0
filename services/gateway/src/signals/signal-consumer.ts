import { createPool } from '@medspa/db';
import {
  createKafkaConsumer,
  createPostgresTailConsumer,
  kafkaConnectionOf,
  type MessageConsumer,
} from '@medspa/messaging';
import type { Logger } from '@medspa/observability';
import type { GatewayConfig } from '../config.js';
import type { SignalBus } from './signal-bus.js';
import { signalFeed, signalTopics } from './signal-feed.js';

/** The gateway's schema (`gateway`): the consumer's bookkeeping only (migrations.ts). */
export const GATEWAY_SCHEMA = 'gateway';

export interface SignalConsumer {
  stop(): Promise<void>;
}

type ConsumerConfig = Pick<
  GatewayConfig,
  | 'DATABASE_URL'
  | 'TRANSPORT'
  | 'KAFKA_BROKERS'
  | 'KAFKA_SSL'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
  | 'SIGNAL_SOURCES'
>;

/**
 * Feeds `bus` from the event transport: one consumer group for all replicas (each event is read
 * once), fanned out to every replica's open streams by the bus (Redis pub/sub). Uses the libs'
 * durable consumers rather than a live at-most-once reader: the Postgres tail needs a database
 * role and checkpoints anyway, and a restart then resumes instead of skipping or replaying
 * everything. Without DATABASE_URL (skeleton tests) nothing is fed.
 */
export async function startSignalConsumer(
  config: ConsumerConfig,
  bus: SignalBus,
  logger: Logger,
  options: { topicPrefix?: string; pollIntervalMs?: number } = {},
): Promise<SignalConsumer> {
  if (config.DATABASE_URL === undefined) {
    logger.warn('no DATABASE_URL: /v1/signals is served but fed nothing');
    return { stop: async () => undefined };
  }
  const pool = createPool(config.DATABASE_URL, { max: 4, applicationName: 'gateway-signals' });
  const consumerOptions = {
    groupId: 'gateway.signals',
    topics: signalTopics(config.SIGNAL_SOURCES, options.topicPrefix ?? ''),
    handler: signalFeed(bus, logger),
    pool,
    schema: GATEWAY_SCHEMA,
    logger,
    // A new consumer starts at the end: old events are of no use to a live stream.
    fromBeginning: false,
  };
  const consumer: MessageConsumer =
    config.TRANSPORT === 'kafka'
      ? createKafkaConsumer({ ...consumerOptions, ...kafkaConnectionOf(config) })
      : createPostgresTailConsumer({
          ...consumerOptions,
          ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
        });
  try {
    await consumer.start();
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    async stop() {
      await consumer.stop();
      await pool.end();
    },
  };
}
