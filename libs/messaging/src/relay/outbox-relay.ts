import { createLogger, createMetrics, type Logger } from '@medspa/observability';
import type { Pool } from '@medspa/db';
import { backoffDelay, sleep, StoppedError } from '../backoff.js';
import { describeFailure } from '../failures.js';
import { createLeaderLock } from '../leader-lock.js';
import { readOutbox } from '../outbox-reader.js';
import type { MessagePublisher } from '../publisher.js';
import { loadRelayCheckpoint, saveRelayCheckpoint } from './relay-checkpoint.js';

export interface OutboxRelayOptions {
  /** The producing service's pool (its app role reads the outbox and writes relay_checkpoints). */
  pool: Pool;
  schema: string;
  publisher: MessagePublisher;
  /** Names the checkpoint and the leader lock; one relay per name publishes at a time. Default `kafka`. */
  name?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  /** Longest wait between retries while the broker or the database is down. */
  maxRetryDelayMs?: number;
  logger?: Logger;
}

export interface OutboxRelay {
  /** Starts tailing in the background; idempotent. */
  start(): void;
  /** Stops after the batch in flight (its checkpoint included) and frees the leader lock. */
  stop(): Promise<void>;
  /**
   * Publishes the next batch and then stores the checkpoint: the number published, 0 when there was
   * nothing to do or another relay leads. Throws when publishing fails; nothing is checkpointed then.
   * For tools and tests; not to be called while the relay is started (they would share a connection).
   */
  publishNextBatch(): Promise<number>;
}

/**
 * Tails a service's outbox gap-safely and publishes each message (key, envelope headers, payload)
 * through `publisher`, then stores its checkpoint in `relay_checkpoints`. At least once: a crash
 * between publish and checkpoint publishes the batch again, and consumers skip what they have seen.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, schema, publisher } = options;
  const name = options.name ?? 'kafka';
  // 1000: measured 24k messages/s against 15.6k at 100 (each batch pays a read, the broker ack and a checkpoint).
  const batchSize = options.batchSize ?? 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 200;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
  const logger = options.logger ?? createLogger({ service: 'messaging', level: 'warn' });
  const lock = createLeaderLock(pool, `medspa.relay:${schema}:${name}`);
  const metrics = createMetrics('@medspa/messaging');
  const published = metrics.counter('messaging_relay_published_total', {
    description: 'Outbox messages published',
  });
  const failures = metrics.counter('messaging_relay_failures_total', { description: 'Failed relay batches' });
  let heldBack = 0;
  metrics.observableGauge(
    'messaging_relay_held_back',
    () => [{ value: heldBack, attributes: { schema, relay: name } }],
    {
      description: '1 while committed outbox rows wait behind an open transaction (a stalled reader)',
    },
  );

  let stopping = new AbortController();
  let loop: Promise<void> | undefined;

  async function publishNextBatch(): Promise<number> {
    const db = await lock.hold();
    if (db === undefined) return 0;
    try {
      const after = await loadRelayCheckpoint(db, schema, name);
      const batch = await readOutbox(db, schema, after, batchSize);
      heldBack = batch.heldBack ? 1 : 0;
      if (batch.rows.length === 0) return 0;
      await publisher.publish(
        batch.rows.map((r) => ({
          topic: r.topic,
          key: r.message_key,
          headers: r.headers,
          payload: r.payload,
        })),
      );
      await saveRelayCheckpoint(db, schema, name, batch.checkpoint);
      published.add(batch.rows.length, { schema });
      return batch.rows.length;
    } catch (e) {
      // The lock's connection may be what failed; give the lock up so that it is re-taken cleanly.
      lock.drop();
      throw e;
    }
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failed = 0;
    while (!signal.aborted) {
      try {
        const count = await publishNextBatch();
        failed = 0;
        if (count < batchSize) await sleep(pollIntervalMs, signal);
      } catch (e) {
        if (e instanceof StoppedError) break;
        failed++;
        failures.add(1, { schema });
        logger.warn({ relay: name, schema, failed, ...describeFailure(e) }, 'outbox relay batch failed');
        await sleep(
          Math.min(
            maxRetryDelayMs,
            backoffDelay({ initialMs: pollIntervalMs, maxMs: maxRetryDelayMs }, failed),
          ),
          signal,
        ).catch(() => undefined);
      }
    }
  }

  return {
    start() {
      if (loop !== undefined) return;
      stopping = new AbortController();
      loop = run(stopping.signal);
    },
    async stop() {
      stopping.abort();
      await loop;
      loop = undefined;
      lock.drop();
    },
    publishNextBatch,
  };
}
