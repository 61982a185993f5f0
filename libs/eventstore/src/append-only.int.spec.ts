import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from './ids.js';
import { createEventStore } from './store.js';
import { createTestEventStoreDatabase } from './test-store.js';

let db: Awaited<ReturnType<typeof createTestEventStoreDatabase>>;

beforeAll(async () => {
  db = await createTestEventStoreDatabase();
  const store = createEventStore(db.appPool, {
    schema: db.schema,
    toOutbox: ({ eventId, streamId }) => ({
      messageId: eventId,
      topic: 'medspa.es_test.events.v1',
      key: streamId,
      type: 'medspa.es_test.v1.CounterIncremented',
      payload: new Uint8Array([1]),
      headers: {},
    }),
  });
  await store.append(
    `s-${newId()}`,
    'counter',
    'no_stream',
    [{ type: 'CounterIncremented', data: { by: 1 } }],
    {
      tenantId: newId(),
      actor: { id: 'u', role: 'owner' },
      correlationId: newId(),
    },
  );
});
afterAll(async () => db?.drop());

async function asRole(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('the log is append-only', () => {
  for (const table of ['events', 'outbox']) {
    const column = table === 'events' ? 'event_type' : 'topic';
    for (const [who, url] of [
      ['app role', () => db.appUrl],
      ['owner role', () => db.ownerUrl],
      ['superuser', () => db.adminUrl],
    ] as const) {
      it(`refuses UPDATE, DELETE and TRUNCATE on ${table} by the ${who}`, async () => {
        for (const sql of [
          `UPDATE ${db.schema}.${table} SET ${column} = 'tampered'`,
          `DELETE FROM ${db.schema}.${table}`,
          `TRUNCATE ${db.schema}.${table}`,
        ]) {
          await expect(asRole(url(), sql), sql).rejects.toMatchObject({ code: '42501' });
        }
        const rows = await db.appPool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${db.schema}.${table}`,
        );
        expect(rows.rows[0]!.n).toBe(1);
        const tampered = await db.appPool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${db.schema}.${table} WHERE ${column} = 'tampered'`,
        );
        expect(tampered.rows[0]!.n).toBe(0);
      });
    }
  }

  it('connects the app role as neither owner nor superuser, without BYPASSRLS', async () => {
    const r = await db.appPool.query(
      `SELECT rolsuper, rolbypassrls, (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = $1) AS owner
       FROM pg_roles WHERE rolname = current_user`,
      [db.schema],
    );
    expect(r.rows[0]).toEqual({ rolsuper: false, rolbypassrls: false, owner: `${db.schema}_owner` });
  });

  it('gives the app role idle-in-transaction and statement timeouts', async () => {
    const idle = await db.appPool.query<{ idle_in_transaction_session_timeout: string }>(
      'SHOW idle_in_transaction_session_timeout',
    );
    const statement = await db.appPool.query<{ statement_timeout: string }>('SHOW statement_timeout');
    expect(idle.rows[0]!.idle_in_transaction_session_timeout).not.toBe('0');
    expect(statement.rows[0]!.statement_timeout).not.toBe('0');
  });
});
