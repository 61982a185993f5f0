import type { PoolClient } from '@medspa/db';
import { ScanAhead } from '@medspa/eventstore';
import { createLogger, createMetrics } from '@medspa/observability';
import { sleep, StoppedError } from '../backoff.js';
import type { ConsumerOptions, MessageConsumer } from '../consumer-options.js';
import { describeFailure } from '../failures.js';
import { createLeaderLock } from '../leader-lock.js';
import { readOutbox, type OutboxRow } from '../outbox-reader.js';
import { deliveryOptionsOf, settle, type SettleResult } from '../settle.js';
import { startProcessedRetention } from '../processed-retention.js';
import { producerSchemaOfTopic } from '../topics.js';
import { deadLetterAsRaw, listDeadLetters, parkDeadLetter, resolveDeadLetter } from './dead-letters.js';
import { loadTailCheckpoint, saveTailCheckpoint, startTailAtHead } from './tail-checkpoint.js';

export interface PostgresTailConsumerOptions extends ConsumerOptions {
  /** The schema whose outbox holds a topic; by default the service named in `medspa.<service>.events.v1`. */
  producerSchemaOf?: (topic: string) => string;
  batchSize?: number;
  pollIntervalMs?: number;
  /**
   * Where a consumer that has never read a producer starts: its first message (default), or the
   * end of its outbox (a live feed, to which old messages are of no use).
   */
  fromBeginning?: boolean;
}

/** Topics grouped by the producer schema whose outbox holds them. */
function sourcesOf(topics: readonly string[], schemaOf: (topic: string) => string): Map<string, string[]> {
  const sources = new Map<string, string[]>();
  for (const topic of topics) sources.set(schemaOf(topic), [...(sources.get(schemaOf(topic)) ?? []), topic]);
  return sources;
}

/**
 * The embedded default transport: the same messages as Kafka (topics, keys, envelope, payload),
 * read gap-safely from each producer's outbox through `grantOutboxRead`, with the same handler
 * contract, idempotency and retry. Checkpoints go to `tail_checkpoints` and parked messages to
 * `dead_letters` in the consumer's schema; parked messages marked by `requestRedrive` are delivered
 * again by the running consumer. One replica leads per consumer name (an advisory lock).
 */
export function createPostgresTailConsumer(options: PostgresTailConsumerOptions): MessageConsumer {
  const { schema, groupId } = options;
  const logger = options.logger ?? createLogger({ service: 'messaging', level: 'warn' });
  const sources = sourcesOf(options.topics, options.producerSchemaOf ?? producerSchemaOfTopic);
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const parkedCount = createMetrics('@medspa/messaging').counter('messaging_consumer_parked_total');
  const lock = createLeaderLock(options.pool, `medspa.tail:${schema}:${groupId}`);
  const stopping = new AbortController();
  const delivery = deliveryOptionsOf(options, logger, stopping.signal);
  let loop: Promise<void> | undefined;

  async function settled(result: SettleResult, messageId: string, topic: string, key: string) {
    await options.onSettled?.({
      messageId,
      topic,
      key,
      outcome: result.outcome === 'failed' ? 'parked' : result.outcome,
      attempts: result.attempts,
    });
  }

  async function deliverRow(db: PoolClient, producerSchema: string, row: OutboxRow): Promise<void> {
    const raw = { topic: row.topic, key: row.message_key, headers: row.headers, payload: row.payload };
    const result = await settle(raw, 'postgres', delivery);
    if (result.outcome === 'failed') {
      const parked = { messageId: row.message_id, type: row.message_type, raw };
      await parkDeadLetter(db, schema, groupId, parked, result.attempts, result.failure);
      parkedCount.add(1, { consumer: groupId, topic: row.topic });
    }
    await settled(result, row.message_id, row.topic, row.message_key);
    await saveTailCheckpoint(db, schema, groupId, producerSchema, {
      transactionId: row.row_transaction_id,
      position: row.row_position,
    });
  }

  /** Delivers the parked messages that re-drive asked for; the number handled. */
  async function redriveRequested(db: PoolClient): Promise<number> {
    const letters = await listDeadLetters(db, schema, groupId, { redriveRequested: true, limit: batchSize });
    for (const letter of letters) {
      const result = await settle(deadLetterAsRaw(letter), 'postgres', delivery);
      if (result.outcome === 'failed') {
        const parked = { messageId: letter.messageId, type: letter.type, raw: deadLetterAsRaw(letter) };
        await parkDeadLetter(db, schema, groupId, parked, result.attempts, result.failure);
      } else {
        await resolveDeadLetter(db, schema, groupId, letter.messageId);
      }
      await settled(result, letter.messageId, letter.topic, letter.key);
    }
    return letters.length;
  }

  // Other topics' rows past the checkpoint, per producer: not rescanned on every poll.
  const scans = new Map<string, ScanAhead>();
  const scanAhead = (producerSchema: string): ScanAhead => {
    let scan = scans.get(producerSchema);
    if (scan === undefined) scans.set(producerSchema, (scan = new ScanAhead()));
    return scan;
  };

  /** One pass over every source; the number of messages handled. */
  async function pass(db: PoolClient): Promise<number> {
    let handled = await redriveRequested(db);
    for (const [producerSchema, topics] of sources) {
      const after = await loadTailCheckpoint(db, schema, groupId, producerSchema);
      const scan = scanAhead(producerSchema);
      const batch = await readOutbox(db, producerSchema, scan.from(after), batchSize, topics);
      for (const row of batch.rows) await deliverRow(db, producerSchema, row);
      if (batch.rows.length === 0) scan.foundNothing(after, batch.checkpoint);
      else scan.clear();
      handled += batch.rows.length;
    }
    return handled;
  }

  async function run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const db = await lock.hold();
        const handled = db === undefined ? 0 : await pass(db);
        if (handled === 0) await sleep(pollIntervalMs, signal);
      } catch (e) {
        if (e instanceof StoppedError) break;
        lock.drop();
        logger.warn({ consumer: groupId, schema, ...describeFailure(e) }, 'postgres tail pass failed');
        await sleep(pollIntervalMs * 5, signal).catch(() => undefined);
      }
    }
  }

  let stopRetention: (() => Promise<void>) | undefined;
  return {
    async start() {
      // Fail fast on a missing grant or migration rather than in the background loop.
      const db = await lock.hold();
      if (db !== undefined)
        for (const producerSchema of sources.keys()) {
          await readOutbox(db, producerSchema, { transactionId: '0', position: 0 }, 1);
          if (options.fromBeginning === false) await startTailAtHead(db, schema, groupId, producerSchema);
        }
      stopRetention ??= startProcessedRetention({
        pool: options.pool,
        schema,
        consumer: groupId,
        logger,
        ...(options.processedRetentionDays === undefined
          ? {}
          : { retentionDays: options.processedRetentionDays }),
      });
      loop ??= run(stopping.signal);
    },
    async stop() {
      stopping.abort();
      await loop;
      await stopRetention?.();
      lock.drop();
    },
  };
}
