import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers } from '@medspa/testing';
import { chartScenario, countsById } from '../conformance/chart-scenario.js';
import type { SettledMessage } from '../consumer-options.js';
import { kafkaTransport, type TransportUnderTest } from '../fixtures/transports.js';
import { createTwoServices, type TwoServices } from '../fixtures/two-services.js';
import { waitFor } from '../fixtures/wait.js';

const CHILD = fileURLToPath(new URL('../fixtures/consumer-process.ts', import.meta.url));
let services: TwoServices;
let transport: TransportUnderTest;

beforeAll(async () => {
  services = await createTwoServices();
  transport = await kafkaTransport(services);
});
afterAll(async () => {
  await transport?.close();
  await services?.drop();
});

async function committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = new Kafka({
    clientId: 'offsets',
    brokers: [kafkaBrokers()],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((offsets?.partitions ?? []).map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

describe('a consumer killed between its effect and its offset commit', () => {
  it('skips the redelivered message: the effect is applied once', async () => {
    const s = chartScenario(services);
    await transport.prepareTopic(s.topic);
    const { ids } = await s.chart(4);
    const frozen = ids[2]!;
    const groupId = `consumer-crash-${Date.now()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        BROKERS: kafkaBrokers(),
        DATABASE_URL: services.consumer.appUrl,
        SCHEMA: services.consumer.schema,
        GROUP: groupId,
        TOPIC: s.topic,
        FREEZE_AFTER: frozen,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const lines: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
    try {
      await waitFor(
        'the child to apply the frozen message',
        () => lines.includes(`settled ${frozen} applied`),
        60_000,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // Its effect committed; its offset did not (all of the chart's messages share one partition).
    expect((await s.effects(groupId)).map((e) => e.message_id)).toEqual(ids.slice(0, 3));
    expect([...(await committedOffsets(groupId, s.topic)).values()].filter((o) => o !== '-1')).toEqual(['2']);

    const settled: SettledMessage[] = [];
    await transport.startConsumer({
      groupId,
      topics: [s.topic],
      handler: s.recordingHandler(groupId).handler,
      onSettled: (m) => void settled.push(m),
    });
    await waitFor('the rest applied', async () => (await s.effects(groupId)).length === ids.length, 30_000);
    expect(settled.map((m) => [m.messageId, m.outcome])).toEqual([
      [frozen, 'duplicate'],
      [ids[3], 'applied'],
      [ids[4], 'applied'],
    ]);
    expect(countsById((await s.effects(groupId)).map((e) => e.message_id))).toEqual(
      new Map(ids.map((id) => [id, 1])),
    );
  }, 90_000);
});
