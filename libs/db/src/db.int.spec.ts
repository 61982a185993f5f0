import pg from 'pg';
import { createServiceDatabase, type ServiceDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrate,
  runMigrateCommand,
  tenantIsolationSql,
  withTenant,
  createPool,
  type Pool,
} from './index.js';

const tenantA = '0195d6c4-0000-7000-8000-00000000000a';
const tenantB = '0195d6c4-0000-7000-8000-00000000000b';
const migrations = (schema: string) => [
  {
    id: '0001_visits',
    sql: `CREATE TABLE ${schema}.visits (id serial PRIMARY KEY, tenant_id uuid NOT NULL, note text NOT NULL);
          ${tenantIsolationSql(schema, 'visits')}`,
  },
];

let db: ServiceDatabase;
let app: Pool;

beforeAll(async () => {
  db = await createServiceDatabase('db_test', migrations);
  app = createPool(db.appUrl);
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

describe('migrations', () => {
  it('applies each migration once and records it', async () => {
    const again = await migrate(db.ownerUrl, db.schema, migrations(db.schema));
    expect(again).toEqual({ applied: [], alreadyApplied: ['0001_visits'] });
  });

  it('refuses a migration edited after it was applied', async () => {
    const edited = [{ id: '0001_visits', sql: 'SELECT 1' }];
    await expect(migrate(db.ownerUrl, db.schema, edited)).rejects.toThrow(/edited after it was applied/);
  });

  it('rolls back a failing migration and records nothing', async () => {
    const failing = [
      ...migrations(db.schema),
      { id: '0002_broken', sql: 'CREATE TABLE x (id int); SELECT 1/0' },
    ];
    await expect(migrate(db.ownerUrl, db.schema, failing)).rejects.toThrow(/0002_broken failed/);
    const tables = await app.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'x'`, [
      db.schema,
    ]);
    expect(tables.rowCount).toBe(0);
  });

  it('serialises concurrent migrators', async () => {
    const next = [
      ...migrations(db.schema),
      { id: '0002_index', sql: `CREATE INDEX visits_note ON ${db.schema}.visits (note)` },
    ];
    const runs = await Promise.all([1, 2, 3].map(() => migrate(db.ownerUrl, db.schema, next)));
    expect(runs.flatMap((r) => r.applied)).toEqual(['0002_index']);
  });

  it('runs as the migrate subcommand only with MIGRATION_DATABASE_URL', async () => {
    await expect(runMigrateCommand({ service: 'db-test', migrations, env: {} })).rejects.toThrow(
      /MIGRATION_DATABASE_URL/,
    );
    const result = await runMigrateCommand({
      service: 'db-test',
      migrations,
      env: { MIGRATION_DATABASE_URL: db.ownerUrl },
    });
    expect(result.alreadyApplied).toContain('0001_visits');
  });
});

describe('row-level security, as the app role', () => {
  it('sees and writes only the tenant of the transaction, and nothing without one', async () => {
    await withTenant(app, tenantA, (c) =>
      c.query(`INSERT INTO ${db.schema}.visits (tenant_id, note) VALUES ($1, 'a')`, [tenantA]),
    );
    await withTenant(app, tenantB, (c) =>
      c.query(`INSERT INTO ${db.schema}.visits (tenant_id, note) VALUES ($1, 'b')`, [tenantB]),
    );
    const seenByA = await withTenant(app, tenantA, (c) =>
      c.query<{ note: string }>(`SELECT note FROM ${db.schema}.visits`),
    );
    expect(seenByA.rows.map((r) => r.note)).toEqual(['a']);
    const noTenant = await app.query(`SELECT note FROM ${db.schema}.visits`);
    expect(noTenant.rowCount).toBe(0);
    await expect(
      withTenant(app, tenantA, (c) =>
        c.query(`INSERT INTO ${db.schema}.visits (tenant_id, note) VALUES ($1, 'x')`, [tenantB]),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('scopes the tenant to its own transaction, rolled back on a throw; a non-UUID tenant sees nothing', async () => {
    const seen = await withTenant(app, tenantA.toUpperCase(), async (c) => {
      const { rows } = await c.query<{ tenant: string; open: boolean }>(
        `SELECT current_setting('app.tenant_id') AS tenant, now() = statement_timestamp() AS open`,
      );
      return rows[0];
    });
    // Inside a transaction block now() is its start, earlier than the statement's.
    expect(seen).toEqual({ tenant: tenantA.toUpperCase(), open: false });
    await expect(
      withTenant(app, tenantA, async (c) => {
        await c.query(`INSERT INTO ${db.schema}.visits (tenant_id, note) VALUES ($1, 'rolled back')`, [
          tenantA,
        ]);
        throw new Error('after the write');
      }),
    ).rejects.toThrow('after the write');
    const notes = await withTenant(app, tenantA, (c) =>
      c.query<{ note: string }>(`SELECT note FROM ${db.schema}.visits ORDER BY id`),
    );
    expect(notes.rows.map((r) => r.note)).toEqual(['a']);
    const leaked = await app.query<{ tenant: string }>(
      `SELECT current_setting('app.tenant_id', true) AS tenant`,
    );
    expect(leaked.rows[0]?.tenant ?? '').toBe('');
    // Not a UUID: never inlined (bound as a parameter), and the policy's cast refuses it.
    await expect(
      withTenant(app, "x'); DROP TABLE visits; --", (c) => c.query(`SELECT note FROM ${db.schema}.visits`)),
    ).rejects.toThrow(/invalid input syntax for type uuid/);
  });

  it('binds the owner too (FORCE), and the app role cannot bypass or own', async () => {
    const owner = new pg.Client({ connectionString: db.ownerUrl });
    await owner.connect();
    try {
      expect((await owner.query(`SELECT note FROM ${db.schema}.visits`)).rowCount).toBe(0);
    } finally {
      await owner.end();
    }
    await expect(app.query(`ALTER TABLE ${db.schema}.visits DISABLE ROW LEVEL SECURITY`)).rejects.toThrow(
      /must be owner/,
    );
    await expect(app.query(`CREATE TABLE ${db.schema}.sneaky (id int)`)).rejects.toThrow(/permission denied/);
  });
});
