import type { Pool } from '@medspa/db';
import { errors } from '@medspa/errors';
import {
  createKafkaConsumer,
  eventsTopic,
  producerSchemaOfTopic,
  type KafkaConnection,
  type MessageConsumer,
  type SettledMessage,
} from '@medspa/messaging';
import type { Logger } from '@medspa/observability';
import { AUDIT_SCHEMA } from '../migrations.js';
import type { Checkpointer } from '../store/checkpointer.js';
import type { AppendOutcome, AuditStore } from '../store/append.js';
import { createBatchedTailConsumer } from './batched-tail-consumer.js';
import { createGroupCommit } from './group-commit.js';
import { toAuditRecord } from './to-audit-record.js';

export type IngestTransport =
  | { kind: 'postgres-tail'; pollIntervalMs?: number }
  | { kind: 'kafka'; connection: KafkaConnection; partitionsConcurrently?: number };

export interface IngestOptions {
  /**
   * The consumers' pool (their claim transactions and tail leader locks). It must not be the
   * store's: every delivery holds a connection in its claim transaction while it waits for the
   * group commit, which needs a connection of its own; sharing one pool could starve the append.
   * Size it with `ingestPoolSize`.
   */
  pool: Pool;
  /** On a pool of its own (see `pool`). */
  store: AuditStore;
  checkpointer: Checkpointer;
  /** The producing services, e.g. `scheduling`, `patient-record`: one topic `medspa.<s>.events.v1` each. */
  sources: readonly string[];
  transport: IngestTransport;
  /** Most records per append. */
  maxBatch?: number;
  /** Test topics (`testTopicPrefix()`); empty in production. */
  topicPrefix?: string;
  logger: Logger;
  onSettled?: (settled: SettledMessage) => void | Promise<void>;
}

export interface Ingest {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Connections the consumers of `createIngest` can hold at once, plus headroom. */
export function ingestPoolSize(sources: number, transport: IngestTransport): number {
  // The batched tail holds one connection per source (its leader lock, on which it also reads).
  const perSource = transport.kind === 'kafka' ? (transport.partitionsConcurrently ?? 4) : 1;
  return sources * perSource + 2;
}

/** The consumer name of the source's ingest: its rows in processed_messages, tail_checkpoints, dead_letters. */
export const ingestConsumerName = (source: string): string => `audit.ingest.${source}`;

/**
 * Consumes every source's events topic into the audit log. One consumer per source, so the sources
 * are read concurrently. The Postgres tail reads a batch of up to `maxBatch` rows and appends it at
 * once (`createBatchedTailConsumer`); over Kafka the lib's consumer hands over each partition's fetched
 * messages in batches (`batchHandler`: one claim statement, one append, one offset commit per
 * batch), partitions adding concurrency; a batch that fails is delivered message by message, and
 * those meet in the group commit. Malformed messages fail validation in `toAuditRecord`
 * and are parked by the consumer (`dead_letters` / `<topic>.dlq`) with their error, never dropped.
 */
export function createIngest(options: IngestOptions): Ingest {
  const logger = options.logger;
  // The N-entries rule; the T-seconds sweep catches anything this misses (or fails on).
  // Not awaited by the append (signing must not slow ingest), but by stop(): the pool closes after.
  const signing = new Set<Promise<void>>();
  const afterAppend = (outcome: AppendOutcome): void => {
    const running = options.checkpointer.afterAppend(outcome.heads).then(
      () => undefined,
      (e: unknown) => {
        logger.error(
          { err: e instanceof Error ? e.name : 'unknown' },
          'audit checkpoint after append failed',
        );
      },
    );
    signing.add(running);
    void running.finally(() => signing.delete(running));
  };
  const commit = createGroupCommit(options.store, {
    maxBatch: options.maxBatch ?? 500,
    onAppended: afterAppend,
  });
  const consumers: MessageConsumer[] = options.sources.map((source) => {
    const topic = eventsTopic(source, options.topicPrefix);
    const t = options.transport;
    if (t.kind === 'postgres-tail') {
      return createBatchedTailConsumer({
        pool: options.pool,
        store: options.store,
        consumer: ingestConsumerName(source),
        producerSchema: producerSchemaOfTopic(topic),
        topic,
        batchSize: options.maxBatch ?? 1000,
        pollIntervalMs: t.pollIntervalMs ?? 200,
        logger,
        onAppended: afterAppend,
        ...(options.onSettled === undefined ? {} : { onSettled: options.onSettled }),
      });
    }
    return createKafkaConsumer({
      groupId: ingestConsumerName(source),
      topics: [topic],
      pool: options.pool,
      schema: AUDIT_SCHEMA,
      logger,
      handler: async (message) => {
        await commit.append(toAuditRecord(message));
      },
      // A partition's fetched messages in one append; any message the batch cannot take (a record
      // that does not map, an id another clinic's entry carries) fails the batch, which the lib
      // then delivers one by one through `handler`: the store's message-id registry makes the
      // entries the failed batch did append come back as duplicates, and only the bad one is parked.
      batchHandler: async (messages) => {
        const outcome = await options.store.append(messages.map(toAuditRecord));
        afterAppend(outcome);
        if (outcome.refused.length > 0)
          throw errors.validation('AUDIT_MESSAGE_ID_TAKEN', "A message id is already another tenant's entry");
      },
      maxBatch: options.maxBatch ?? 500,
      ...(options.onSettled === undefined ? {} : { onSettled: options.onSettled }),
      ...t.connection,
      partitionsConcurrently: t.partitionsConcurrently ?? 4,
    });
  });

  return {
    async start() {
      for (const c of consumers) await c.start();
    },
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all(signing);
    },
  };
}
