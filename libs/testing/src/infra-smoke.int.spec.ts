import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCanaries } from './canary.js';
import { testRedisPrefix, testTopicPrefix } from './prefixes.js';
import { kafkaBrokers, redisUrl } from './provided-context.js';
import { scanKafkaTopics } from './scan-kafka.js';
import { scanPostgres } from './scan-postgres.js';
import { createTestDatabase } from './test-database.js';
import type { TestDatabase } from './test-database.js';

// Proves the int tier runs against real servers, and that the PHI scanners can fail.
describe('test infrastructure', () => {
  let database: TestDatabase;
  let client: pg.Client;
  const topicPrefix = testTopicPrefix();
  const kafka = new Kafka({ clientId: 'infra-smoke', brokers: [kafkaBrokers()], logLevel: logLevel.ERROR });

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  // Topics are created up front: auto-creation works, but kafkajs logs an error while the new topic's
  // leader is being elected, which is noise in a test's output.
  async function produce(topic: string, messages: Array<{ key: string; value: string }>): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
  }

  it('writes and reads a table in a database of its own', async () => {
    await client.query('CREATE TABLE rooms (id int PRIMARY KEY, name text NOT NULL)');
    await client.query(`INSERT INTO rooms VALUES (1, 'Laser suite')`);
    const { rows } = await client.query('SELECT name, current_database() AS db FROM rooms');
    expect(rows).toEqual([{ name: 'Laser suite', db: database.name }]);
  });

  it('consumes from the real broker in a group that commits its offset', async () => {
    const topic = `${topicPrefix}appointments`;
    const groupId = `${topicPrefix}smoke-group`;
    await produce(topic, [{ key: 'a-1', value: 'AppointmentBooked' }]);

    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received = new Promise<string>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: ({ message }) => Promise.resolve(resolve(message.value?.toString() ?? '')),
      });
    });
    expect(await received).toBe('AppointmentBooked');
    await consumer.commitOffsets([{ topic, partition: 0, offset: '1' }]);
    await consumer.disconnect();

    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed).toEqual([
        { topic, partitions: [expect.objectContaining({ partition: 0, offset: '1' })] },
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('sets and gets a key in Redis', async () => {
    const redis = new Redis(redisUrl());
    try {
      const key = `${testRedisPrefix()}greeting`;
      await redis.set(key, 'hello', 'EX', 60);
      expect(await redis.get(key)).toBe('hello');
    } finally {
      redis.disconnect();
    }
  });

  it('finds a canary planted in Postgres, and nothing in clean tables', async () => {
    const patient = makeCanaries();
    await client.query('CREATE SCHEMA clinic');
    await client.query('CREATE TABLE clinic.patients (id int, profile jsonb, sealed bytea, born date)');
    await client.query(`INSERT INTO clinic.patients VALUES (1, '{"ok":true}', '\\x00ff', '2000-01-01')`);
    expect(await scanPostgres(database.url, patient, { schemas: ['clinic'] })).toEqual([]);

    await client.query('INSERT INTO clinic.patients VALUES (2, $1, $2, $3)', [
      { note: patient.note },
      Buffer.from(`v1:${patient.email}`),
      patient.dateOfBirth,
    ]);
    const hits = await scanPostgres(database.url, patient, { schemas: ['clinic'] });
    expect(hits.map((hit) => [hit.canary, hit.location.replace(/@.*/, '')])).toEqual([
      ['note', 'postgres:clinic.patients.profile'],
      ['email', 'postgres:clinic.patients.sealed'],
      ['dateOfBirth', 'postgres:clinic.patients.born'],
    ]);
  });

  it('finds a canary planted in a Kafka topic, and nothing in clean topics', async () => {
    const patient = makeCanaries();
    const prefix = testTopicPrefix();
    await produce(`${prefix}clean`, [{ key: 'p-1', value: '{"type":"PatientRegistered"}' }]);
    expect(await scanKafkaTopics(kafkaBrokers(), prefix, patient)).toEqual([]);

    await produce(`${prefix}leaky`, [{ key: 'p-2', value: JSON.stringify({ name: patient.fullName }) }]);
    const hits = await scanKafkaTopics(kafkaBrokers(), new RegExp(`^${prefix.replace('.', '\\.')}`), patient);
    expect(hits).toEqual([
      { location: `kafka:${prefix}leaky[0]@0 value`, canary: 'givenName', needle: patient.givenName },
      { location: `kafka:${prefix}leaky[0]@0 value`, canary: 'familyName', needle: patient.familyName },
    ]);
  });
});
