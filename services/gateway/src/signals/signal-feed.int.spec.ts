import { createHash, randomUUID } from 'node:crypto';
import { createPool, migrate, provisionService, type Pool } from '@medspa/db';
import { eventStoreMigrationSql, newId, writeOutbox } from '@medspa/eventstore';
import {
  createPostgresTailConsumer,
  envelopeHeaders,
  eventsTopic,
  grantOutboxRead,
  messagingMigrationSql,
  type MessageConsumer,
} from '@medspa/messaging';
import { createLogger } from '@medspa/observability';
import { createTestDatabase, makeCanaries, type TestDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInProcessSignalBus } from './signal-bus.js';
import type { TenantSignal } from './signal.js';
import { signalFeed, signalTopics } from './signal-feed.js';

// Same derivation as libs/testing's createServiceDatabase, so the cluster-wide roles agree.
const passwordFor = (adminUrl: string, role: string): string =>
  createHash('sha256')
    .update(`${new URL(adminUrl).host}|${role}`)
    .digest('hex')
    .slice(0, 24);

async function service(adminUrl: string, name: string, sql: (schema: string) => string[]) {
  const schema = name.replaceAll('-', '_');
  const roles = await provisionService(adminUrl, name, {
    ownerPassword: passwordFor(adminUrl, `${schema}_owner`),
    appPassword: passwordFor(adminUrl, `${schema}_app`),
  });
  await migrate(
    roles.ownerUrl,
    schema,
    sql(schema).map((text, i) => ({ id: `000${i + 1}_setup`, sql: text })),
  );
  return { schema, appRole: roles.appRole, pool: createPool(roles.appUrl, { max: 4 }) };
}

// The embedded transport end to end: scheduling's outbox -> Postgres-tail consumer -> signal bus.
describe('signal feed from the event transport (Postgres tail)', () => {
  let db: TestDatabase;
  let scheduling: { schema: string; pool: Pool };
  let gateway: { schema: string; pool: Pool };
  let consumer: MessageConsumer | undefined;
  const bus = createInProcessSignalBus();

  beforeAll(async () => {
    db = await createTestDatabase();
    scheduling = await service(db.url, 'scheduling', (s) => [
      eventStoreMigrationSql(s),
      messagingMigrationSql(s),
    ]);
    const gw = await service(db.url, 'gateway', (s) => [messagingMigrationSql(s)]);
    gateway = gw;
    await grantOutboxRead(db.url, scheduling.schema, gw.appRole);
    consumer = createPostgresTailConsumer({
      groupId: 'gateway.signals',
      topics: signalTopics(['scheduling']),
      handler: signalFeed(bus),
      pool: gateway.pool,
      schema: gateway.schema,
      pollIntervalMs: 50,
      logger: createLogger({ service: 'gateway-test', level: 'silent' }),
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.stop();
    await Promise.all([scheduling.pool.end(), gateway.pool.end()]);
    await db.drop();
  });

  it('turns each integration event of the tenant into a {type, id} signal', async () => {
    const tenantId = newId();
    const appointmentId = newId();
    const got: TenantSignal[] = [];
    const stop = await bus.subscribe(tenantId, (s) => got.push(s));
    const patient = makeCanaries();
    const metadata = {
      tenantId,
      actor: { id: randomUUID(), role: 'front_desk' },
      correlationId: newId(),
      causationId: newId(),
    };
    const eventType = 'medspa.scheduling.v1.AppointmentBooked';
    const eventId = newId();
    await writeOutbox(scheduling.pool, scheduling.schema, [
      {
        messageId: eventId,
        topic: eventsTopic('scheduling'),
        key: appointmentId,
        type: eventType,
        // The payload is opaque to the gateway: even PHI in it (never there by design) goes nowhere.
        payload: Buffer.from(patient.fullName),
        headers: envelopeHeaders(metadata, { eventId, eventType, occurredAt: new Date() }),
      },
    ]);
    await expect.poll(() => got.length, { timeout: 10_000 }).toBe(1);
    expect(got[0]).toEqual({
      tenantId,
      service: 'scheduling',
      type: 'appointment.booked',
      id: appointmentId,
    });
    await stop();
  });
});
