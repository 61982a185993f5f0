import { randomUUID } from 'node:crypto';
import { kafkaBrokers, makeCanaries, scanKafkaTopics, testTopicPrefix, type Canary } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registration } from '../testing/requests.js';
import { startRecordFixture, type RecordFixture } from '../testing/service-fixture.js';

// TRANSPORT=kafka: the service's own relay publishes the outbox to its topic, keyed by stream,
// with ids only (no PHI in keys, values or headers).
describe('patient-record: the Kafka relay (TRANSPORT=kafka)', () => {
  let f: RecordFixture;
  const prefix = testTopicPrefix();
  const tenantId = randomUUID();

  beforeAll(async () => {
    f = await startRecordFixture({
      env: { TRANSPORT: 'kafka', KAFKA_BROKERS: kafkaBrokers() },
      topicPrefix: prefix,
    });
  });

  afterAll(async () => {
    await f?.close();
  });

  it('publishes the outbox to its Kafka topic, keyed by stream, without PHI', async () => {
    const canary = makeCanaries();
    const frontDesk = f.clientAs({ tenantId, role: 'front_desk' });
    const { patientId } = await frontDesk.registerPatient(registration(canary));
    await frontDesk.getPatient({ patientId });
    // The patient's id in a message key is the proof of delivery; it is not PHI.
    const delivered: Canary = { field: 'note', value: patientId, needles: [`patient-${patientId}`] };
    let hits: Awaited<ReturnType<typeof scanKafkaTopics>> = [];
    for (let attempt = 0; attempt < 60 && hits.length === 0; attempt++) {
      hits = await scanKafkaTopics(kafkaBrokers(), prefix, [delivered]).catch(() => []);
      if (hits.length === 0) await new Promise((r) => setTimeout(r, 500));
    }
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.location.includes('medspa.patient-record.events.v1'))).toBe(true);
    expect(await scanKafkaTopics(kafkaBrokers(), prefix, canary)).toEqual([]);
  });
});
