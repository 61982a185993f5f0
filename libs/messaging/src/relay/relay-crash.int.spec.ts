import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@medspa/observability';
import { kafkaBrokers } from '@medspa/testing';
import { chartScenario, countsById } from '../conformance/chart-scenario.js';
import type { SettledMessage } from '../consumer-options.js';
import { kafkaTransport, type TransportUnderTest } from '../fixtures/transports.js';
import { readTopic } from '../fixtures/read-topic.js';
import { createTwoServices, type TwoServices } from '../fixtures/two-services.js';
import { waitFor } from '../fixtures/wait.js';
import { createKafkaPublisher } from '../kafka/kafka-publisher.js';
import type { MessagePublisher } from '../publisher.js';
import { createOutboxRelay } from './outbox-relay.js';

const silent = createLogger({ service: 'messaging-test', level: 'silent' });
let services: TwoServices;
let transport: TransportUnderTest;

beforeAll(async () => {
  services = await createTwoServices();
  // Only for its consumers: this file runs its own relays.
  transport = await kafkaTransport(services, { relay: false });
});
afterAll(async () => {
  await transport?.close();
  await services?.drop();
});

describe('a relay killed in the middle of a batch', () => {
  it('loses nothing, and the consumer applies nothing twice', async () => {
    const s = chartScenario(services);
    await transport.prepareTopic(s.topic);
    const ids = (await Promise.all([0, 1, 2].map(() => s.chart(9)))).flatMap((c) => c.ids);

    // The first relay's broker takes 7 messages of a 20-message batch, then the relay dies before
    // its checkpoint: what a kill -9 between publish and checkpoint leaves behind.
    const real = createKafkaPublisher({ brokers: kafkaBrokers(), logger: silent });
    const dying: MessagePublisher = {
      publish: async (messages) => {
        await real.publish(messages.slice(0, 7));
        throw new Error('relay process killed');
      },
    };
    const options = {
      pool: services.producer.pool,
      schema: services.producer.schema,
      batchSize: 20,
      pollIntervalMs: 50,
      logger: silent,
    };
    const first = createOutboxRelay({ ...options, publisher: dying });
    const standby = createOutboxRelay({ ...options, publisher: real });
    await expect(first.publishNextBatch()).rejects.toThrow('relay process killed');
    // Its lock went with it; a standby takes over from the last checkpoint (none yet).
    standby.start();

    const settled: SettledMessage[] = [];
    const groupId = `relay-crash-${Date.now()}`;
    await transport.startConsumer({
      groupId,
      topics: [s.topic],
      handler: s.recordingHandler(groupId).handler,
      onSettled: (m) => void settled.push(m),
    });
    await waitFor('every message applied', async () => (await s.effects(groupId)).length === ids.length);
    await waitFor(
      'the 7 republished ones skipped',
      () => settled.filter((m) => m.outcome === 'duplicate').length === 7,
    );

    const onTopic = await readTopic(kafkaBrokers(), s.topic);
    expect(onTopic).toHaveLength(ids.length + 7);
    expect(new Set(onTopic.map((r) => r.headers.event_id))).toEqual(new Set(ids));
    const applied = countsById((await s.effects(groupId)).map((e) => e.message_id));
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(applied.keys())).toEqual(new Set(ids));
    await standby.stop();
    await real.disconnect();
  });

  it('publishes nothing from a standby while another relay leads', async () => {
    const s = chartScenario(services);
    await s.chart(1);
    const publisher: MessagePublisher = { publish: async () => undefined };
    const options = {
      pool: services.producer.pool,
      schema: services.producer.schema,
      publisher,
      name: 'leader-test',
      logger: silent,
    };
    const leader = createOutboxRelay(options);
    const standby = createOutboxRelay(options);
    expect(await leader.publishNextBatch()).toBeGreaterThan(0);
    expect(await standby.publishNextBatch()).toBe(0);
    await leader.stop();
    await s.chart(0);
    expect(await standby.publishNextBatch()).toBeGreaterThan(0);
    await standby.stop();
  });
});
