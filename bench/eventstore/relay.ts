import { quoteIdent, type Pool } from '@medspa/db';
import { createLogger } from '@medspa/observability';
import {
  createKafkaPublisher,
  createOutboxRelay,
  ensureTopics,
  eventsTopic,
  messagingMigrationSql,
  type MessagePublisher,
} from '@medspa/messaging';
import { emit, log, stderrDestination } from '../lib/emit.js';
import { descendantPids, microsPerItem, startCpuMeter } from '../lib/proc-cpu.js';
import { perSecond } from '../lib/stats.js';
import { timed } from '../lib/timing.js';
import { FLOW_SERVICE } from './integration.js';

/** Migrations of the flow schema for the relay: its checkpoint table (and the lib's other state). */
export const relayMigrations = (schema: string) => [
  { id: '0004_messaging', sql: messagingMigrationSql(schema) },
];

interface RelayRun {
  name: string;
  batchSize: number | undefined;
}

/**
 * Times the outbox relay (`createOutboxRelay` → `start`) publishing the whole flow outbox to a real
 * Kafka broker with acks from all in-sync replicas, until its checkpoint reaches the last outbox
 * row. Messages are counted as the broker acknowledges them, so the figure is log → Kafka, end to
 * end. Run once with the relay's defaults and once more per tuning in `runs`, each under its own
 * relay name (so each starts from the beginning of the outbox) and topic.
 */
export async function runRelay(opts: {
  pool: Pool;
  schema: string;
  brokers: string;
  events: number;
  runs: RelayRun[];
  /** The pool's backends, for CPU accounting (the broker's JVM is found among our children). */
  postgres: () => number[];
}): Promise<void> {
  const logger = createLogger({ service: 'bench-relay', level: 'warn', destination: stderrDestination });
  const [last] = (
    await opts.pool.query<{ tx: string; pos: number }>(
      `SELECT transaction_id::text AS tx, position AS pos FROM ${quoteIdent(opts.schema)}.outbox
       ORDER BY transaction_id DESC, position DESC LIMIT 1`,
    )
  ).rows;
  if (last === undefined) throw new Error('the flow outbox is empty');
  const warmupTopic = eventsTopic(`${FLOW_SERVICE}-warmup`);
  await ensureTopics({ brokers: opts.brokers, logger }, [
    { topic: eventsTopic(FLOW_SERVICE), partitions: 3 },
    { topic: warmupTopic, partitions: 1 },
  ]);

  for (const run of opts.runs) {
    const kafka = createKafkaPublisher({ brokers: opts.brokers, logger });
    let acked = 0;
    const counting: MessagePublisher = {
      publish: async (messages) => {
        await kafka.publish(messages);
        acked += messages.length;
      },
    };
    // Connect before the clock starts: the connection and broker metadata are one-off costs.
    await kafka.publish([{ topic: warmupTopic, key: 'warmup', headers: {}, payload: new Uint8Array(1) }]);
    const relay = createOutboxRelay({
      pool: opts.pool,
      schema: opts.schema,
      publisher: counting,
      name: run.name,
      logger,
      ...(run.batchSize === undefined ? {} : { batchSize: run.batchSize }),
    });
    const cpu = startCpuMeter({ postgres: opts.postgres, kafka: () => descendantPids('java') });
    const { elapsedMs } = await timed(async () => {
      relay.start();
      await waitForCheckpoint(opts.pool, opts.schema, run.name, last);
    });
    const cpuUsPerEvent = microsPerItem(cpu(), opts.events);
    await relay.stop();
    await kafka.disconnect();
    if (acked !== opts.events)
      throw new Error(`relay ${run.name}: broker acknowledged ${acked} of ${opts.events}`);
    log(`relay ${run.name}: ${acked} messages in ${(elapsedMs / 1000).toFixed(1)} s`);
    emit({
      name: run.name === 'kafka' ? 'relay.kafka' : `relay.kafka.${run.name}`,
      value: perSecond(acked, elapsedMs),
      unit: 'events/s',
      params: {
        events: acked,
        batchSize: run.batchSize ?? 'default (100)',
        partitions: 3,
        acks: 'all',
        seconds: elapsedMs / 1000,
        cpuUsPerEvent,
      },
    });
  }
}

async function waitForCheckpoint(
  pool: Pool,
  schema: string,
  relay: string,
  target: { tx: string; pos: number },
): Promise<void> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const res = await pool.query<{ done: boolean }>(
      `SELECT (transaction_id, position) >= ($2::xid8, $3::bigint) AS done
       FROM ${quoteIdent(schema)}.relay_checkpoints WHERE relay = $1`,
      [relay, target.tx, target.pos],
    );
    if (res.rows[0]?.done === true) return;
    if (Date.now() > deadline) throw new Error(`relay ${relay} did not reach the end of the outbox`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
