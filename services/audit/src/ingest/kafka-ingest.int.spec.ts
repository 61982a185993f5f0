import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@medspa/observability';
import {
  accessOutboxMessage,
  createKafkaPublisher,
  ensureTopics,
  eventsTopic,
  type KafkaPublisher,
  type OutgoingMessage,
} from '@medspa/messaging';
import { kafkaBrokers, testTopicPrefix } from '@medspa/testing';
import { createInMemorySigner } from '../signing/in-memory-signer.js';
import { createAuditStore } from '../store/append.js';
import { createCheckpointer } from '../store/checkpointer.js';
import { pgLogSource } from '../store/pg-log-source.js';
import { createAuditTestDatabase, type AuditTestDatabase } from '../testing/audit-database.js';
import { metadataFor } from '../testing/producers.js';
import { waitUntil } from '../testing/wait.js';
import { verifyChain } from '../verify/verify-chain.js';
import { createPool, type Pool } from '@medspa/db';
import { createIngest, ingestPoolSize, type Ingest, type IngestTransport } from './ingest.js';

const prefix = testTopicPrefix();
const topic = eventsTopic('scheduling', prefix);
const tenant = randomUUID();
const signer = createInMemorySigner();
let db: AuditTestDatabase;
let ingest: Ingest;
let publisher: KafkaPublisher;
let consumerPool: Pool;

const accessMessages = (n: number): OutgoingMessage[] =>
  Array.from({ length: n }, () =>
    accessOutboxMessage(
      {
        subjectId: randomUUID(),
        resourceType: 'appointment',
        resourceId: randomUUID(),
        action: 'read',
        purpose: 'operations',
        outcome: { allowed: true },
        requestId: randomUUID(),
      },
      { metadata: metadataFor(tenant), topic },
    ),
  );

const stored = async () =>
  Number((await db.appPool.query<{ n: string }>('SELECT count(*) n FROM audit.entries')).rows[0]?.n);

beforeAll(async () => {
  db = await createAuditTestDatabase();
  const connection = { brokers: kafkaBrokers() };
  await ensureTopics(connection, [
    { topic, partitions: 3 },
    { topic: `${topic}.dlq`, partitions: 1 },
  ]);
  publisher = createKafkaPublisher(connection);
  const transport: IngestTransport = { kind: 'kafka', connection, partitionsConcurrently: 3 };
  consumerPool = createPool(db.appUrl, {
    applicationName: 'audit-kafka-test',
    max: ingestPoolSize(1, transport),
  });
  ingest = createIngest({
    pool: consumerPool,
    store: createAuditStore(db.appPool),
    checkpointer: createCheckpointer(db.appPool, {
      signer,
      trustedKeys: signer.trustedKeys,
      everyEntries: 25,
    }),
    sources: ['scheduling'],
    topicPrefix: prefix,
    transport,
    logger: createLogger({ service: 'audit-kafka-test', level: 'silent' }),
  });
  await ingest.start();
});

afterAll(async () => {
  await ingest?.stop();
  await publisher?.disconnect();
  await consumerPool?.end();
  await db?.drop();
});

describe('audit ingest over Kafka', () => {
  it('keeps each message of the events topic once, also when it is published again', async () => {
    const messages = accessMessages(60);
    await publisher.publish(messages);
    await waitUntil('the Kafka messages to be ingested', async () => (await stored()) >= 60, 60_000);
    await publisher.publish(messages.slice(0, 20)); // a relay that crashed before its checkpoint
    const marker = accessMessages(1);
    await publisher.publish(marker);
    await waitUntil('the marker after the redelivery', async () => (await stored()) >= 61, 60_000);
    expect(await stored()).toBe(61);
    const report = await verifyChain(pgLogSource(db.appPool), tenant, { trustedKeys: signer.trustedKeys });
    expect(report).toMatchObject({ intact: true, lastSequence: 61 });
  });
});
