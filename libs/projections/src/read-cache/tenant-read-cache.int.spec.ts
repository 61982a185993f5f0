import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, tenantIsolationSql, withTenant, type Pool } from '@medspa/db';
import { newId } from '@medspa/eventstore';
import { createServiceDatabase, eventually, type ServiceDatabase } from '@medspa/testing';
import { tenantChangeNotifySql } from './change-notify-sql.js';
import { createTenantReadCache, type TenantReadCache } from './tenant-read-cache.js';

const CHANNEL = 'shelf_changed';
let db: ServiceDatabase;
let app: Pool;
let admin: Pool;
const [tenantA, tenantB] = [newId(), newId()];

beforeAll(async () => {
  db = await createServiceDatabase('read_cache', (schema) => [
    {
      id: '0001_shelves',
      sql: `CREATE TABLE ${schema}.shelves (tenant_id uuid NOT NULL, shelf text NOT NULL, items int NOT NULL,
              PRIMARY KEY (tenant_id, shelf));
            ${tenantIsolationSql(schema, 'shelves')}
            ${tenantChangeNotifySql(schema, ['shelves'], CHANNEL)}`,
    },
  ]);
  app = createPool(db.appUrl, { max: 4 });
  admin = createPool(db.adminUrl, { max: 2 });
  for (const t of [tenantA, tenantB]) await put(t, 'front', 1);
});
afterAll(async () => {
  await Promise.all([app?.end(), admin?.end()]);
  await db?.drop();
});

const shelves = () => `${db.schema}.shelves`;
const put = (tenantId: string, shelf: string, items: number) =>
  withTenant(app, tenantId, (tx) =>
    tx.query(
      `INSERT INTO ${shelves()} VALUES ($1, $2, $3) ON CONFLICT (tenant_id, shelf) DO UPDATE SET items = $3`,
      [tenantId, shelf, items],
    ),
  );

/** A cache over `shelves` that counts its loads. */
function countingCache(options: { ttlMs?: number } = {}) {
  const cache = createTenantReadCache<number>({
    url: db.appUrl,
    channel: CHANNEL,
    reconnect: { initialMs: 20, maxMs: 50 },
    ...options,
  });
  let loads = 0;
  const items = (tenantId: string, shelf = 'front') =>
    cache.read(tenantId, shelf, async () => {
      loads++;
      const { rows } = await withTenant(app, tenantId, (tx) =>
        tx.query<{ items: number }>(`SELECT items FROM ${shelves()} WHERE shelf = $1`, [shelf]),
      );
      return rows[0]?.items ?? 0;
    });
  return { cache, items, loads: () => loads };
}

/** Until the listener holds: a first read is remembered, so a second does not load. */
async function listening(c: ReturnType<typeof countingCache>, tenantId: string): Promise<void> {
  await eventually(
    async () => {
      const before = c.loads();
      await c.items(tenantId);
      await c.items(tenantId);
      return c.loads() - before;
    },
    (loadsForTwo) => loadsForTwo <= 1,
  );
}

describe('a read cache invalidated by its read model triggers', () => {
  let c: ReturnType<typeof countingCache>;
  beforeAll(() => {
    c = countingCache();
  });
  afterAll(() => c.cache.close());

  it('remembers a read until a change of the same clinic commits', async () => {
    await listening(c, tenantA);
    const loads = c.loads();
    expect(await c.items(tenantA)).toBe(1);
    expect(c.loads()).toBe(loads);
    await put(tenantA, 'front', 2);
    expect(
      await eventually(
        () => c.items(tenantA),
        (n) => n === 2,
      ),
    ).toBe(2);
    expect(c.loads()).toBe(loads + 1);
  });

  it("keeps another clinic's reads when one clinic changes", async () => {
    await listening(c, tenantB);
    const loads = c.loads();
    await put(tenantA, 'back', 7);
    await eventually(
      () => c.items(tenantA, 'back'),
      (n) => n === 7,
    );
    const afterA = c.loads();
    expect(await c.items(tenantB)).toBe(1);
    expect(c.loads()).toBe(afterA);
    expect(afterA).toBeGreaterThan(loads);
  });

  it('forgets every clinic on a TRUNCATE (a rebuild) and on deletes', async () => {
    await listening(c, tenantB);
    await withTenant(app, tenantB, (tx) => tx.query(`DELETE FROM ${shelves()} WHERE shelf = 'front'`));
    expect(
      await eventually(
        () => c.items(tenantB),
        (n) => n === 0,
      ),
    ).toBe(0);
    await listening(c, tenantA);
    await admin.query(`TRUNCATE ${shelves()}`);
    expect(
      await eventually(
        () => c.items(tenantA),
        (n) => n === 0,
      ),
    ).toBe(0);
    for (const t of [tenantA, tenantB]) await put(t, 'front', 1);
  });

  it('does not remember a read that was under way when its clinic changed', async () => {
    await listening(c, tenantA);
    await put(tenantA, 'slow', 1);
    await eventually(
      () => c.items(tenantA, 'slow'),
      (n) => n === 1,
    );
    // A load whose snapshot predates a change that is announced before the load returns.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const staleRead = c.cache.read(tenantA, 'held', async () => {
      await gate;
      return 1;
    });
    await put(tenantA, 'slow', 2);
    await eventually(
      () => c.items(tenantA, 'slow'),
      (n) => n === 2,
    );
    release();
    expect(await staleRead).toBe(1);
    const fresh = await c.cache.read(tenantA, 'held', () => Promise.resolve(2));
    expect(fresh).toBe(2);
  });

  it('reads through while its listener is down and forgets what it held when it is back', async () => {
    await listening(c, tenantA);
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'listen:${CHANNEL}'`,
    );
    // The change lands while nobody listens: it must not be hidden behind a remembered value.
    await put(tenantA, 'front', 3);
    expect(
      await eventually(
        () => c.items(tenantA),
        (n) => n === 3,
      ),
    ).toBe(3);
    await listening(c, tenantA);
  });
});

describe('a read cache safety net', () => {
  let cache: TenantReadCache<number>;
  afterAll(() => cache?.close());

  it('drops a value after its time to live', async () => {
    let clock = 0;
    cache = createTenantReadCache<number>({
      url: db.appUrl,
      channel: CHANNEL,
      ttlMs: 1_000,
      now: () => clock,
    });
    let loads = 0;
    const read = () => cache.read(tenantA, 'ttl', () => Promise.resolve(++loads));
    await eventually(
      async () => [await read(), await read()],
      ([x, y]) => x === y,
    );
    const held = await read();
    clock += 999;
    expect(await read()).toBe(held);
    clock += 2;
    expect(await read()).toBe(held + 1);
  });
});
