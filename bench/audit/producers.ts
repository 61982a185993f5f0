import { randomBytes, randomUUID } from 'node:crypto';
import { onCleanup } from '../lib/cleanup.js';
import { createPool, migrate, provisionService, type Pool } from '@medspa/db';
import { eventStoreMigrationSql } from '@medspa/eventstore';
import {
  eventsTopic,
  grantOutboxRead,
  messagingMigrationSql,
  recordAccess,
  type PhiAccess,
} from '@medspa/messaging';

/** A producing service: its outbox, readable by `audit_app` (the deployment's `grantOutboxRead`). */
export interface BenchProducer {
  service: string;
  pool: Pool;
}

export async function createBenchProducer(adminUrl: string, service: string): Promise<BenchProducer> {
  const secret = randomBytes(12).toString('hex');
  const roles = await provisionService(adminUrl, service, { ownerPassword: secret, appPassword: secret });
  await migrate(roles.ownerUrl, roles.schema, [
    { id: '0001_event_store', sql: eventStoreMigrationSql(roles.schema) },
    { id: '0002_messaging', sql: messagingMigrationSql(roles.schema) },
  ]);
  await grantOutboxRead(adminUrl, roles.schema, 'audit_app');
  const pool = createPool(roles.appUrl, { applicationName: `bench-${service}`, max: 2 });
  onCleanup(() => pool.end());
  return { service, pool };
}

/**
 * Writes `count` PHI reads into the producer's outbox exactly as a service's request does
 * (`recordAccess`), `perRequest` per write, the clinics taking turns.
 */
export async function writeAccesses(
  producer: BenchProducer,
  tenants: readonly string[],
  count: number,
  perRequest = 500,
): Promise<void> {
  const schema = producer.service.replaceAll('-', '_');
  const topic = eventsTopic(producer.service);
  for (let written = 0, turn = 0; written < count; turn++) {
    const n = Math.min(perRequest, count - written);
    const tenantId = tenants[turn % tenants.length]!;
    const actor = { id: randomUUID(), role: 'provider' };
    const accesses: PhiAccess[] = Array.from({ length: n }, () => ({
      subjectId: randomUUID(),
      resourceType: 'encounter',
      resourceId: randomUUID(),
      action: 'read',
      purpose: 'treatment',
      outcome: { allowed: true },
      requestId: randomUUID(),
    }));
    const metadata = { tenantId, actor, correlationId: randomUUID(), causationId: randomUUID() };
    await recordAccess(producer.pool, schema, accesses, { metadata, topic });
    written += n;
  }
}
