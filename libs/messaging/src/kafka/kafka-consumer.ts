import type { Consumer, EachMessagePayload, Producer } from 'kafkajs';
import { createLogger, createMetrics } from '@medspa/observability';
import type { ConsumerOptions, MessageConsumer } from '../consumer-options.js';
import type { DeliveryOptions } from '../delivery.js';
import type { RawMessage } from '../incoming-message.js';
import { headersAsText } from '../incoming-message.js';
import { deliveryOptionsOf, settle } from '../settle.js';
import { deadLetterTopic } from '../topics.js';
import { createKafkaClient, untraced, type KafkaConnection } from './kafka-client.js';
import { createKafkaProducer } from './kafka-publisher.js';
import { deadLetterHeaders } from './dead-letter-headers.js';

export interface KafkaConsumerOptions extends ConsumerOptions, KafkaConnection {
  /** Where a new group starts: the oldest retained message (default), so nothing is missed. */
  fromBeginning?: boolean;
  /** Default 30 s; a crashed member's partitions move after this long. */
  sessionTimeoutMs?: number;
  /** Partitions handled in parallel (order is kept within each). Default 1. */
  partitionsConcurrently?: number;
  /** Longest a fetch waits on an idle partition; also bounds how long `stop` waits. Default 1 s. */
  maxWaitTimeMs?: number;
  /** How long `start` waits to join the group. Default 60 s. */
  joinTimeoutMs?: number;
}

/**
 * A Kafka consumer group member that hands each message to `handler` exactly once in effect:
 * the message id is recorded with the effect, offsets are committed by hand after it, failures are
 * retried with backoff and then parked on `<topic>.dlq` (with class, reason and attempts in headers)
 * before the consumer moves on.
 */
export function createKafkaConsumer(options: KafkaConsumerOptions): MessageConsumer {
  const logger = options.logger ?? createLogger({ service: 'messaging', level: 'warn' });
  const kafka = createKafkaClient(options, `medspa-consumer-${options.groupId}`);
  const parkedCount = createMetrics('@medspa/messaging').counter('messaging_consumer_parked_total');
  const stopping = new AbortController();
  const delivery: DeliveryOptions = deliveryOptionsOf(options, logger, stopping.signal);
  let consumer: Consumer | undefined;
  let deadLetters: Producer | undefined;

  async function park(
    raw: RawMessage,
    p: EachMessagePayload,
    attempts: number,
    failure: { errorClass: string; reason: string },
  ) {
    const headers = {
      ...headersAsText(raw.headers),
      ...deadLetterHeaders({
        consumer: options.groupId,
        topic: p.topic,
        partition: p.partition,
        offset: p.message.offset,
        attempts,
        failure,
        now: new Date(),
      }),
    };
    await untraced(() =>
      deadLetters!.send({
        topic: deadLetterTopic(p.topic),
        acks: -1,
        messages: [{ key: p.message.key, value: p.message.value, headers }],
      }),
    );
    parkedCount.add(1, { consumer: options.groupId, topic: p.topic });
  }

  async function eachMessage(p: EachMessagePayload): Promise<void> {
    const raw: RawMessage = {
      topic: p.topic,
      key: p.message.key?.toString('utf8') ?? '',
      headers: p.message.headers ?? {},
      payload: p.message.value ?? Buffer.alloc(0),
    };
    const result = await settle(raw, 'kafka', { ...delivery, whileWaiting: () => p.heartbeat() });
    if (result.outcome === 'failed') await park(raw, p, result.attempts, result.failure);
    await options.onSettled?.({
      messageId: result.messageId ?? '',
      topic: p.topic,
      key: raw.key,
      outcome: result.outcome === 'failed' ? 'parked' : result.outcome,
      attempts: result.attempts,
    });
    await consumer!.commitOffsets([
      { topic: p.topic, partition: p.partition, offset: (BigInt(p.message.offset) + 1n).toString() },
    ]);
  }

  return {
    async start() {
      const c = kafka.consumer({
        groupId: options.groupId,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        maxWaitTimeInMs: options.maxWaitTimeMs ?? 1_000,
        allowAutoTopicCreation: true,
      });
      consumer = c;
      deadLetters = createKafkaProducer(kafka);
      await deadLetters.connect();
      const joined = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Consumer ${options.groupId} did not join its group`)),
          options.joinTimeoutMs ?? 60_000,
        );
        c.on(c.events.GROUP_JOIN, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      // kafkajs restarts a crashed consumer itself when the error is retriable; say so either way.
      c.on(c.events.CRASH, ({ payload }) => {
        const error = payload.error as { name?: string; retriable?: boolean };
        logger.error(
          { consumer: options.groupId, errorClass: error.name, restart: payload.restart },
          'kafka consumer crashed',
        );
      });
      await c.connect();
      await c.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true });
      await c.run({
        autoCommit: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        eachMessage,
      });
      await joined;
    },
    async stop() {
      stopping.abort();
      await consumer?.disconnect();
      await deadLetters?.disconnect();
    },
  };
}
