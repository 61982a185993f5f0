import type { Consumer, EachBatchPayload, EachMessagePayload, KafkaMessage, Producer } from 'kafkajs';
import { applyBatchOnce, type BatchMessageHandler } from '../batch-delivery.js';
import { createLogger, createMetrics } from '@medspa/observability';
import type { ConsumerOptions, MessageConsumer } from '../consumer-options.js';
import type { DeliveryOptions } from '../delivery.js';
import type { IncomingMessage, RawMessage } from '../incoming-message.js';
import { headersAsText, toIncomingMessage } from '../incoming-message.js';
import { deliveryOptionsOf, settle } from '../settle.js';
import { deadLetterTopic } from '../topics.js';
import { createKafkaClient, untraced, type KafkaConnection } from './kafka-client.js';
import { createKafkaProducer } from './kafka-publisher.js';
import { deadLetterHeaders } from './dead-letter-headers.js';
import { startProcessedRetention } from '../processed-retention.js';

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
  /**
   * Optional: applies up to `maxBatch` messages of a partition in one transaction (one claim
   * statement, one offset commit per batch) instead of one transaction per message. `handler`
   * stays required: a batch that fails is delivered again message by message through it, so
   * retries and parking are exactly those of the one-message path. See `BatchMessageHandler`.
   */
  batchHandler?: BatchMessageHandler;
  /** Most messages per `batchHandler` call. Default 500. */
  maxBatch?: number;
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
    p: { topic: string; partition: number; message: KafkaMessage },
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

  const rawOf = (topic: string, message: KafkaMessage): RawMessage => ({
    topic,
    key: message.key?.toString('utf8') ?? '',
    headers: message.headers ?? {},
    payload: message.value ?? Buffer.alloc(0),
  });

  async function eachMessage(p: EachMessagePayload): Promise<void> {
    const raw = rawOf(p.topic, p.message);
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

  /**
   * The batch path: each chunk of a fetched batch is claimed and applied in one transaction; when
   * that fails, its messages are settled one by one (the `eachMessage` path, parking included).
   * Offsets are resolved per message and committed once per chunk, after its effects committed.
   */
  async function eachBatch(p: EachBatchPayload): Promise<void> {
    const { topic, partition } = p.batch;
    const batchHandler = options.batchHandler!;
    const max = options.maxBatch ?? 500;
    for (let from = 0; from < p.batch.messages.length; from += max) {
      if (!p.isRunning() || p.isStale()) return;
      const chunk = p.batch.messages.slice(from, from + max).map((message) => {
        const raw = rawOf(topic, message);
        let incoming: IncomingMessage | undefined;
        try {
          incoming = toIncomingMessage(raw, 'kafka');
        } catch {
          incoming = undefined; // settled alone below: an incomplete envelope is parked
        }
        return { message, raw, incoming };
      });
      const valid = chunk.flatMap((c) => (c.incoming === undefined ? [] : [c.incoming]));
      let applied: Set<string> | undefined;
      if (valid.length > 0) {
        try {
          applied = await applyBatchOnce(
            { pool: options.pool, schema: options.schema, consumer: options.groupId, batchHandler },
            valid,
            { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
          );
        } catch (e) {
          logger.warn(
            { consumer: options.groupId, topic, messages: valid.length, errorClass: (e as Error)?.name },
            'batch handler failed: delivering its messages one by one',
          );
        }
      }
      const seen = new Set<string>();
      for (const { message, raw, incoming } of chunk) {
        let settled: { messageId: string; outcome: 'applied' | 'duplicate' | 'parked'; attempts: number };
        if (applied !== undefined && incoming !== undefined) {
          const first = applied.has(incoming.messageId) && !seen.has(incoming.messageId);
          seen.add(incoming.messageId);
          settled = { messageId: incoming.messageId, outcome: first ? 'applied' : 'duplicate', attempts: 1 };
        } else {
          const result = await settle(raw, 'kafka', { ...delivery, whileWaiting: () => p.heartbeat() });
          if (result.outcome === 'failed')
            await park(raw, { topic, partition, message }, result.attempts, result.failure);
          settled = {
            messageId: result.messageId ?? '',
            outcome: result.outcome === 'failed' ? 'parked' : result.outcome,
            attempts: result.attempts,
          };
        }
        await options.onSettled?.({ ...settled, topic, key: raw.key });
        p.resolveOffset(message.offset);
      }
      const last = chunk.at(-1)!.message.offset;
      await consumer!.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
      await p.heartbeat();
    }
  }

  let stopRetention: (() => Promise<void>) | undefined;
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
      stopRetention = startProcessedRetention({
        pool: options.pool,
        schema: options.schema,
        consumer: options.groupId,
        logger,
        ...(options.processedRetentionDays === undefined
          ? {}
          : { retentionDays: options.processedRetentionDays }),
      });
      await c.run({
        autoCommit: false,
        partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
        ...(options.batchHandler === undefined
          ? { eachMessage }
          : { eachBatch, eachBatchAutoResolve: false }),
      });
      await joined;
    },
    async stop() {
      stopping.abort();
      await consumer?.disconnect();
      await deadLetters?.disconnect();
      await stopRetention?.();
    },
  };
}
