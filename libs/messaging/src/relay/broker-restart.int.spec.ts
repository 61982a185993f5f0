import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafka, type RunningKafka } from '@medspa/infra';
import { createLogger } from '@medspa/observability';
import { chartScenario } from '../conformance/chart-scenario.js';
import { readTopic } from '../fixtures/read-topic.js';
import { createTwoServices, type TwoServices } from '../fixtures/two-services.js';
import { waitFor } from '../fixtures/wait.js';
import { createKafkaPublisher, type KafkaPublisher } from '../kafka/kafka-publisher.js';
import { ensureTopics } from '../kafka/kafka-topics.js';
import { loadRelayCheckpoint } from './relay-checkpoint.js';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.js';

// A broker of this file's own: restarting the shared one would break every other test file.
let kafka: RunningKafka;
let services: TwoServices;
let publisher: KafkaPublisher;
let failedPublishes = 0;
let relay: OutboxRelay;
const silent = createLogger({ service: 'messaging-test', level: 'silent' });

beforeAll(async () => {
  [kafka, services] = await Promise.all([startKafka(), createTwoServices()]);
  // Few client retries, so that the relay's own retry (a fresh producer after backoff) is exercised.
  publisher = createKafkaPublisher({
    brokers: kafka.brokers,
    logger: silent,
    ackTimeoutMs: 5_000,
    retries: 1,
  });
  relay = createOutboxRelay({
    pool: services.producer.pool,
    schema: services.producer.schema,
    publisher: {
      publish: (messages) =>
        publisher.publish(messages).catch((e: unknown) => {
          failedPublishes++;
          throw e;
        }),
    },
    batchSize: 10,
    pollIntervalMs: 50,
    maxRetryDelayMs: 1_000,
    logger: silent,
  });
});
afterAll(async () => {
  await relay?.stop();
  await publisher?.disconnect();
  await kafka?.stop();
  await services?.drop();
});

describe('a Kafka broker restarting while the relay publishes', () => {
  it('loses no message', async () => {
    const s = chartScenario(services);
    await ensureTopics({ brokers: kafka.brokers, logger: silent }, [{ topic: s.topic, partitions: 3 }]);
    relay.start();
    const charts = await Promise.all([0, 1, 2, 3].map(() => s.chart(0)));
    const ids = charts.flatMap((c) => c.ids);
    let restarted: Promise<void> | undefined;
    let back = false;
    let appendedWhileDown = 0;
    // Appends keep coming before, while the broker is down, and after it is back.
    for (let sequence = 1, after = 0; after < 3; sequence++) {
      if (sequence === 4) restarted = kafka.restart().then(() => void (back = true));
      if (back) after++;
      else if (restarted !== undefined) appendedWhileDown += charts.length;
      for (const c of charts) ids.push(...(await s.addNote(c.chartId, sequence)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await restarted;
    const onTopic = await waitFor(
      'every message on the topic',
      async () => {
        const records = await readTopic(kafka.brokers, s.topic);
        const seen = new Set(records.map((r) => r.headers.event_id));
        return ids.every((id) => seen.has(id)) && records;
      },
      90_000,
      500,
    );
    expect(new Set(onTopic.map((r) => r.headers.event_id))).toEqual(new Set(ids));
    expect(appendedWhileDown).toBeGreaterThan(0);
    expect(failedPublishes, 'the relay met the broker down at least once').toBeGreaterThan(0);
    // Order per key survives the retries: each chart's first occurrences are in append order.
    for (const c of charts) {
      const firstSeen = [
        ...new Set(
          onTopic
            .filter((r) => r.key === c.chartId)
            .sort((a, b) => Number(a.offset) - Number(b.offset))
            .map((r) => r.headers.event_id),
        ),
      ];
      expect(firstSeen).toEqual(ids.filter((id) => firstSeen.includes(id)));
    }
    const checkpoint = await loadRelayCheckpoint(services.producer.pool, services.producer.schema, 'kafka');
    expect(checkpoint.position).toBeGreaterThanOrEqual(ids.length);
  }, 150_000);
});
