import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '@medspa/db';
import { createLogger } from '@medspa/observability';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrationSql } from './migrations.js';
import { forgetProcessedBefore, startProcessedRetention } from './processed-retention.js';

let db: ServiceDatabase;
let app: Pool;
const DAY_MS = 86_400_000;

beforeAll(async () => {
  db = await createServiceDatabase('msg_retention', (schema) => [
    { id: '0001_messaging', sql: messagingMigrationSql(schema) },
  ]);
  // As the service's app role: the sweep must work with the grants production has.
  app = createPool(db.appUrl, { max: 2 });
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

async function processed(consumer: string, daysAgo: number): Promise<string> {
  const id = randomUUID();
  await app.query(
    `INSERT INTO ${db.schema}.processed_messages (consumer, message_id, processed_at) VALUES ($1, $2, $3)`,
    [consumer, id, new Date(Date.now() - daysAgo * DAY_MS)],
  );
  return id;
}

const remembered = async (consumer: string) =>
  (
    await app.query<{ message_id: string }>(
      `SELECT message_id FROM ${db.schema}.processed_messages WHERE consumer = $1 ORDER BY message_id`,
      [consumer],
    )
  ).rows.map((r) => r.message_id);

describe('processed-message retention', () => {
  it("forgets only this consumer's messages older than the cut-off", async () => {
    const old = await Promise.all(Array.from({ length: 12 }, () => processed('billing.payments', 30)));
    const recent = await processed('billing.payments', 1);
    const otherConsumers = await processed('audit.integration-events', 30);

    const deleted = await forgetProcessedBefore(
      app,
      db.schema,
      'billing.payments',
      new Date(Date.now() - 14 * DAY_MS),
    );
    expect(deleted).toBe(old.length);
    expect(await remembered('billing.payments')).toEqual([recent]);
    expect(await remembered('audit.integration-events')).toEqual([otherConsumers]);
  });

  it('sweeps once when started, and stopping waits for the sweep', async () => {
    await processed('notifications.reminders', 20);
    const kept = await processed('notifications.reminders', 3);
    const stop = startProcessedRetention({
      pool: app,
      schema: db.schema,
      consumer: 'notifications.reminders',
      retentionDays: 7,
      logger: createLogger({ service: 'retention-test', level: 'silent' }),
    });
    await stop();
    expect(await remembered('notifications.reminders')).toEqual([kept]);
  });
});
