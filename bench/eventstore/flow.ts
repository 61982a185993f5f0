import { createPool } from '@medspa/db';
import { createEventStore } from '@medspa/eventstore';
import type { RunningKafka } from '@medspa/infra';
import { startBenchKafka } from '../lib/kafka.js';
import { trackBackends } from '../lib/proc-cpu.js';
import { config } from './config.js';
import { provisionStore } from './databases.js';
import { appointmentOutbox } from './integration.js';
import { loadThroughStore } from './load.js';
import { projectionMigrations, runProjectionCatchUp } from './projection.js';
import { relayMigrations, runRelay } from './relay.js';

/**
 * The read side and the way out, on one data set: `config.flowEvents` appointment events appended
 * through the store with the outbox mapper (10 events per stream, its lifecycle; 10 streams per
 * transaction), then the projection runner catches a read model up from the start, then the relay
 * publishes the whole outbox to Kafka. Kafka (a JVM) starts while the data set loads, outside any
 * measured window.
 */
export async function runFlow(adminUrl: string): Promise<void> {
  const roles = await provisionStore(adminUrl, 'bench_flow', (schema) => [
    ...projectionMigrations(schema),
    ...relayMigrations(schema),
  ]);
  // Enough connections for the loaders, then the projector's leader plus catchUp, then the relay.
  const pool = createPool(roles.appUrl, { applicationName: 'bench-flow', max: config.loadWriters });
  const postgres = trackBackends(pool);
  const kafkaStarting: Promise<RunningKafka> = startBenchKafka();
  kafkaStarting.catch(() => undefined);
  try {
    const store = createEventStore(pool, { schema: roles.schema, toOutbox: appointmentOutbox });
    await loadThroughStore(pool, store, {
      total: config.flowEvents,
      eventsPerStream: 10,
      streamsPerTransaction: 10,
      writers: config.loadWriters,
      label: 'flow-load',
    });
    const kafka = await kafkaStarting;
    await runProjectionCatchUp({ pool, store, adminUrl, events: config.flowEvents, postgres });
    await runRelay({
      pool,
      schema: roles.schema,
      brokers: kafka.brokers,
      events: config.flowEvents,
      postgres,
      runs: [
        { name: 'kafka', batchSize: undefined },
        { name: 'batch1000', batchSize: 1000 },
      ],
    });
  } finally {
    await pool.end();
  }
}
