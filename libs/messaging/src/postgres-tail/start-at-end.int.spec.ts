import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@medspa/eventstore';
import { createLogger } from '@medspa/observability';
import { chartScenario } from '../conformance/chart-scenario.js';
import { createTwoServices, type TwoServices } from '../fixtures/two-services.js';
import { waitFor } from '../fixtures/wait.js';
import { grantOutboxRead } from '../grants.js';
import { createPostgresTailConsumer } from './postgres-tail-consumer.js';

// A live feed (the gateway's signals) starts a new consumer at the end of the outbox: the history
// is of no use to it, and reading all of it on first boot would cost the whole log's worth of work.
let services: TwoServices;
beforeAll(async () => {
  services = await createTwoServices();
  await grantOutboxRead(services.adminUrl, services.producer.schema, services.consumer.appRole);
});
afterAll(async () => services?.drop());

describe('a Postgres-tail consumer that starts at the end', () => {
  it('skips what was written before its first start, delivers what comes after, and keeps its place', async () => {
    const s = chartScenario(services);
    const before = await s.chart(2);
    const groupId = `live-${newId()}`;
    const { handler } = s.recordingHandler(groupId);
    const options = {
      groupId,
      topics: [s.topic],
      handler,
      pool: services.consumer.pool,
      schema: services.consumer.schema,
      pollIntervalMs: 20,
      fromBeginning: false,
      logger: createLogger({ service: 'start-at-end-test', level: 'silent' }),
    };
    const first = createPostgresTailConsumer(options);
    await first.start();
    const after = await s.chart(1);
    await waitFor('the messages written after the start', async () => (await s.effects(groupId)).length >= 2);
    await first.stop();

    // Stopped, then started again: it resumes where it was, so nothing written meanwhile is lost.
    const meanwhile = await s.chart(0);
    const second = createPostgresTailConsumer(options);
    await second.start();
    await waitFor('the message written while stopped', async () => (await s.effects(groupId)).length >= 3);
    await second.stop();

    const delivered = (await s.effects(groupId)).map((e) => e.message_id);
    expect(delivered).toEqual([...after.ids, ...meanwhile.ids]);
    expect(delivered).not.toContain(before.ids[0]);
  });
});
