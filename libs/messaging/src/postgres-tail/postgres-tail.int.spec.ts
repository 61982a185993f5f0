import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgCode, withTransaction } from '@medspa/db';
import { chartScenario } from '../conformance/chart-scenario.js';
import { postgresTailTransport, type TransportUnderTest } from '../fixtures/transports.js';
import { createTwoServices, requestMetadata, type TwoServices } from '../fixtures/two-services.js';
import { waitFor } from '../fixtures/wait.js';

let services: TwoServices;
let transport: TransportUnderTest;

beforeAll(async () => {
  services = await createTwoServices();
  transport = await postgresTailTransport(services);
});
afterAll(async () => {
  await transport?.close();
  await services?.drop();
});

describe('the Postgres-tail transport', () => {
  it('reads the producer’s outbox through its grant and nothing else of the producer', async () => {
    const p = services.producer.schema;
    const consumerRole = services.consumer.pool;
    await expect(consumerRole.query(`SELECT count(*) FROM ${p}.outbox`)).resolves.toBeDefined();
    for (const sql of [
      `SELECT count(*) FROM ${p}.events`,
      `SELECT count(*) FROM ${p}.relay_checkpoints`,
      `INSERT INTO ${p}.outbox (message_id, topic, message_key, message_type, payload, headers)
        VALUES (gen_random_uuid(), 't', 'k', 'x', '', '{}')`,
    ]) {
      await expect(consumerRole.query(sql).catch((e: unknown) => pgCode(e))).resolves.toBe('42501');
    }
  });

  it('does not skip a message whose transaction commits after a later one', async () => {
    const s = chartScenario(services);
    const groupId = `gap-${Date.now()}`;
    await transport.startConsumer({
      groupId,
      topics: [s.topic],
      handler: s.recordingHandler(groupId).handler,
    });
    // The first append takes its outbox position and then waits; a second one commits meanwhile.
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let early: string[] = [];
    const slow = withTransaction(services.producer.pool, async (tx) => {
      const closed = { type: 'ChartClosed', data: { chartId: 'slow' } };
      const r = await s.store.append(
        `chart-slow-${Date.now()}`,
        'chart',
        'any',
        [closed],
        requestMetadata(),
        { db: tx },
      );
      early = r.eventIds;
      await held;
    });
    await waitFor('the slow append', () => early.length === 1);
    const late = await s.chart(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await s.effects(groupId)).map((e) => e.message_id)).toEqual([]);
    release();
    await slow;
    await waitFor('both delivered', async () => (await s.effects(groupId)).length === 2);
    expect((await s.effects(groupId)).map((e) => e.message_id)).toEqual([...early, ...late.ids]);
  });
});
