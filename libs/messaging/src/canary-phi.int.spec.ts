import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@medspa/eventstore';
import { createLogger } from '@medspa/observability';
import {
  captureLogs,
  findCanariesInText,
  kafkaBrokers,
  makeCanaries,
  scanKafkaTopics,
  scanPostgres,
} from '@medspa/testing';
import { recordAccess } from './access-events.js';
import { chartScenario } from './conformance/chart-scenario.js';
import { kafkaTransport, postgresTailTransport, type TransportUnderTest } from './fixtures/transports.js';
import { createTwoServices, requestMetadata, type TwoServices } from './fixtures/two-services.js';
import { waitFor } from './fixtures/wait.js';

let services: TwoServices;
let transports: TransportUnderTest[];

beforeAll(async () => {
  services = await createTwoServices();
  transports = [await kafkaTransport(services), await postgresTailTransport(services)];
});
afterAll(async () => {
  for (const t of transports ?? []) await t.close();
  await services?.drop();
});

describe('canary PHI in domain events', () => {
  it('never reaches the outbox, Kafka, dead letters, consumer tables or logs', async () => {
    const canary = makeCanaries();
    const s = chartScenario(services);
    for (const t of transports) await t.prepareTopic(s.topic);
    const chartId = `chart-${newId()}`;
    const patientId = newId();
    const metadata = requestMetadata();
    await s.store.append(
      chartId,
      'chart',
      'no_stream',
      [
        {
          type: 'ChartOpened',
          data: {
            chartId,
            patientId,
            givenName: canary.givenName,
            familyName: canary.familyName,
            dateOfBirth: canary.dateOfBirth,
          },
        },
        { type: 'ChartNoteAdded', data: { chartId, noteId: newId(), sequence: 1, text: canary.note } },
      ],
      metadata,
    );
    await recordAccess(
      services.producer.pool,
      services.producer.schema,
      {
        subjectId: patientId,
        resourceType: 'chart',
        resourceId: chartId,
        action: 'export',
        purpose: 'patient_request',
        outcome: { allowed: true },
        requestId: newId(),
      },
      { metadata, topic: s.topic },
    );

    const logs = captureLogs({ stdio: false });
    const logger = createLogger({ service: 'messaging-test', level: 'debug', destination: logs.destination });
    for (const t of transports) {
      const groupId = `canary-${t.name}`;
      // An unknown error whose message quotes PHI, as a careless handler's might.
      const { handler } = s.recordingHandler(groupId, (m) => {
        if (m.type.endsWith('ChartNoteAdded'))
          throw new Error(`bad note for ${canary.fullName}: ${canary.note}`);
      });
      await t.startConsumer({ groupId, topics: [s.topic], handler, maxAttempts: 2, logger });
      await waitFor(`${t.name} parks the note`, async () => (await t.parked(groupId, s.topic)).length === 1);
      await waitFor(`${t.name} applies the rest`, async () => (await s.effects(groupId)).length === 2);
    }
    logs.stop();

    // Positive control: the canaries are in the producer's log (this fixture stores them unencrypted).
    const events = await services.producer.pool.query<{ data: unknown }>(
      `SELECT data FROM ${services.producer.schema}.events WHERE stream_id = $1`,
      [chartId],
    );
    expect(findCanariesInText(JSON.stringify(events.rows), canary).length).toBeGreaterThan(0);

    const outbox = await services.producer.pool.query<{
      message_key: string;
      payload: Buffer;
      headers: unknown;
    }>(`SELECT message_key, payload, headers FROM ${services.producer.schema}.outbox WHERE topic = $1`, [
      s.topic,
    ]);
    expect(outbox.rows).toHaveLength(3);
    const outboxText = outbox.rows
      .map((r) => `${r.message_key}\n${r.payload.toString('latin1')}\n${JSON.stringify(r.headers)}`)
      .join('\n');
    expect(findCanariesInText(outboxText, canary, 'outbox')).toEqual([]);
    expect(await scanKafkaTopics(kafkaBrokers(), s.prefix, canary)).toEqual([]);
    expect(await scanPostgres(services.adminUrl, canary, { schemas: [services.consumer.schema] })).toEqual(
      [],
    );
    expect(logs.text()).toContain('message handler failed');
    expect(logs.findCanaries(canary)).toEqual([]);
  });
});
