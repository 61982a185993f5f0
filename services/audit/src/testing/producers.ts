import { createHash, randomUUID } from 'node:crypto';
import { createPool, migrate, provisionService, type Pool } from '@medspa/db';
import { eventStoreMigrationSql, writeOutbox, type EventMetadata } from '@medspa/eventstore';
import {
  envelopeHeaders,
  eventsTopic,
  grantOutboxRead,
  messagingMigrationSql,
  recordAccess,
  type PhiAccess,
} from '@medspa/messaging';

// Same derivation as libs/testing's createServiceDatabase: roles are cluster-wide and shared by
// every test file, so their passwords must agree without coordination.
const passwordFor = (adminUrl: string, role: string): string =>
  createHash('sha256')
    .update(`${new URL(adminUrl).host}|${role}`)
    .digest('hex')
    .slice(0, 24);

/** A producing service in the audit test database: its outbox, readable by `audit_app`. */
export interface Producer {
  service: string;
  schema: string;
  topic: string;
  pool: Pool;
  /** Writes access events to the outbox as the producer's request would (recordAccess). */
  access(metadata: EventMetadata, accesses: PhiAccess[]): Promise<void>;
  /** Writes an integration event (opaque payload) keyed by its stream. */
  event(metadata: EventMetadata, streamId: string, type?: string): Promise<string>;
  /** Writes a raw outbox row, e.g. a malformed message. */
  raw(row: {
    headers: Record<string, string>;
    type: string;
    payload: Uint8Array;
    key?: string;
  }): Promise<string>;
}

/** Provisions `service` (schema, roles, event store + outbox) and grants the audit role its outbox. */
export async function createProducer(adminUrl: string, service: string): Promise<Producer> {
  const schema = service.replaceAll('-', '_');
  const roles = await provisionService(adminUrl, service, {
    ownerPassword: passwordFor(adminUrl, `${schema}_owner`),
    appPassword: passwordFor(adminUrl, `${schema}_app`),
  });
  await migrate(roles.ownerUrl, schema, [
    { id: '0001_event_store', sql: eventStoreMigrationSql(schema) },
    { id: '0002_messaging', sql: messagingMigrationSql(schema) },
  ]);
  await grantOutboxRead(adminUrl, schema, 'audit_app');
  const pool = createPool(roles.appUrl, { applicationName: `${service}-test`, max: 4 });
  const topic = eventsTopic(service);
  return {
    service,
    schema,
    topic,
    pool,
    access: (metadata, accesses) => recordAccess(pool, schema, accesses, { metadata, topic }),
    async event(metadata, streamId, type = `medspa.${schema}.v1.SomethingHappened`) {
      const eventId = randomUUID();
      await writeOutbox(pool, schema, [
        {
          messageId: eventId,
          topic,
          key: streamId,
          type,
          payload: Buffer.from([0x0a, 0x02, 0x69, 0x64]),
          headers: envelopeHeaders(metadata, { eventId, eventType: type, occurredAt: new Date() }),
        },
      ]);
      return eventId;
    },
    async raw(row) {
      const messageId = row.headers.event_id ?? randomUUID();
      await writeOutbox(pool, schema, [
        {
          messageId,
          topic,
          key: row.key ?? randomUUID(),
          type: row.type,
          payload: row.payload,
          headers: row.headers,
        },
      ]);
      return messageId;
    },
  };
}

/** Request metadata for a producer's write. */
export const metadataFor = (
  tenantId: string,
  actor = { id: randomUUID(), role: 'provider' },
): EventMetadata => ({
  tenantId,
  actor,
  correlationId: randomUUID(),
  causationId: randomUUID(),
});
