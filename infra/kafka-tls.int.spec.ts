import { readFileSync, rmSync } from 'node:fs';
import { createKafkaClient } from '../libs/messaging/src/kafka/kafka-client.js';
import { createLogger } from '@medspa/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../libs/grpc/src/test-support/certs.js';
import { startKafka, type RunningKafka } from './kafka.js';

// Kafka over SSL with a PEM key store on the broker (ssl.keystore.type=PEM), reached the way the
// services reach MSK: KAFKA_SSL, trusting the CA that signed the broker's certificate.
let pki: TestPki;
let other: TestPki;
let kafka: RunningKafka;

beforeAll(async () => {
  pki = createTestPki();
  other = createTestPki('another-ca');
  kafka = await startKafka({ tls: { ...pki.leaf('kafka'), caFile: pki.caFile } });
}, 180_000);

afterAll(async () => {
  await kafka?.stop();
  for (const p of [pki, other]) if (p) rmSync(p.dir, { recursive: true, force: true });
});

const adminOver = (ca: string) =>
  createKafkaClient(
    {
      brokers: kafka.sslBrokers ?? '',
      ssl: { ca: [readFileSync(ca, 'utf8')], servername: 'localhost' },
      retries: 0,
      logger: createLogger({ service: 'kafka-tls-test', level: 'silent' }),
    },
    'kafka-tls-test',
  ).admin();

describe('Kafka over SSL', () => {
  it('serves a client that trusts the CA on the SSL listener', async () => {
    expect(kafka.sslBrokers).toMatch(/^127\.0\.0\.1:\d+$/);
    const admin = adminOver(pki.caFile);
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'medspa.tls.check.v1' }], waitForLeaders: true });
      expect(await admin.listTopics()).toContain('medspa.tls.check.v1');
    } finally {
      await admin.disconnect();
    }
  });

  it('is refused by a client that does not trust the broker certificate', async () => {
    const admin = adminOver(other.caFile);
    try {
      await expect(admin.connect()).rejects.toThrow(/certificate/);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  });
});
