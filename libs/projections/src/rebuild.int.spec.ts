import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@medspa/eventstore';
import {
  createProjectionTestDatabase,
  metadataFor,
  type ProjectionTestDatabase,
} from './fixtures/database.js';
import { ledgerProjection } from './fixtures/ledger.js';
import { ledgerOf, totalsOf } from './fixtures/read-back.js';
import type { Projection } from './projection.js';
import { rebuildProjection } from './rebuild.js';
import { createProjectionRunner } from './runner.js';

let db: ProjectionTestDatabase;
// The batched read model replays 20,000 events; the one-by-one one (three statements an event) 4,000.
const EVENTS = 20_000;
const SMALL = 4_000;
const tenants = [newId(), newId(), newId()];

beforeAll(async () => {
  db = await createProjectionTestDatabase('projections_rebuild', [
    'rb_batched',
    'rb_single',
    'rb_live',
    'rb_cli',
  ]);
  // Streams of 100 events, appended 50 at a time.
  for (const [streamType, total] of [
    ['rb', EVENTS],
    ['rb_small', SMALL],
  ] as const) {
    for (let s = 0; s < total / 100; s++) {
      const tenant = tenants[s % tenants.length]!;
      for (let chunk = 0; chunk < 2; chunk++) {
        const events = Array.from({ length: 50 }, (_, i) => ({
          type: 'AmountRecorded',
          data: { amount: s + chunk * 50 + i },
        }));
        await db.store.append(`${streamType}-${s}`, streamType, 'any', events, metadataFor(tenant));
      }
    }
  }
}, 120_000);
afterAll(async () => db?.drop());

const ledger = (prefix: string) =>
  ledgerProjection({ name: prefix, schema: db.schema, prefix, streamTypes: ['rb_small'] });
const batchedLedger = (prefix: string) =>
  ledgerProjection({ name: prefix, schema: db.schema, prefix, streamTypes: ['rb'], batched: true });

/** The read model as a plain value; `delivered` is left out (TRUNCATE does not restart identities). */
async function readModel(prefix: string) {
  const rows = await ledgerOf(db.adminPool, db.schema, prefix, prefix);
  return { rows, totals: await totalsOf(db.adminPool, db.schema, prefix, prefix) };
}

async function project(projection: Projection) {
  const runner = createProjectionRunner({
    pool: db.appPool,
    store: db.store,
    projections: [projection],
    batchSize: 2000,
  });
  runner.start();
  try {
    await runner.catchUp({ timeoutMs: 120_000 });
  } finally {
    await runner.stop();
  }
}

describe('rebuild', () => {
  for (const [kind, make, events] of [
    ['applyBatch', batchedLedger, EVENTS],
    ['apply', ledger, SMALL],
  ] as const) {
    it(`rebuilds a read model (${kind}) from zero into the same rows`, async () => {
      const projection = make(kind === 'apply' ? 'rb_single' : 'rb_batched');
      await project(projection);
      const before = await readModel(projection.name);
      expect(before.rows).toHaveLength(events);

      const result = await rebuildProjection({
        ownerUrl: db.ownerUrl,
        pool: db.appPool,
        store: db.store,
        projection,
      });
      expect(await readModel(projection.name)).toEqual(before);
      expect(result).toMatchObject({ projection: projection.name, events });
      expect(result.eventsPerSecond).toBeGreaterThan(1000);
    });
  }

  it('resets under a live runner, which replays the log by itself', async () => {
    const projection = batchedLedger('rb_live');
    const live = createProjectionRunner({
      pool: db.appPool,
      store: db.store,
      projections: [projection],
      batchSize: 2000,
    });
    live.start();
    try {
      await live.catchUp({ timeoutMs: 60_000 });
      const before = await readModel('rb_live');
      const result = await rebuildProjection({
        ownerUrl: db.ownerUrl,
        pool: db.appPool,
        store: db.store,
        projection,
      });
      expect(result.events).toBe(EVENTS);
      expect(live.status()[0]?.leading).toBe(true); // the live replica did the replay
      expect(await readModel('rb_live')).toEqual(before);
    } finally {
      await live.stop();
    }
  });

  it('runs from the command line and prints the rate', async () => {
    await project(batchedLedger('rb_cli'));
    const before = await readModel('rb_cli');
    const { stdout } = await promisify(execFile)(
      'node_modules/.bin/tsx',
      [
        'libs/projections/src/cli/rebuild.ts',
        '--module',
        'libs/projections/src/fixtures/rebuild-target.ts',
        '--projection',
        'rb_cli',
      ],
      {
        env: {
          ...process.env,
          DATABASE_URL: db.appUrl,
          MIGRATION_DATABASE_URL: db.ownerUrl,
          PROJECTIONS_TEST_SCHEMA: db.schema,
        },
      },
    );
    expect(stdout).toMatch(new RegExp(`rebuilt rb_cli: ${EVENTS} events in [\\d.]+ s \\(\\d+ events/s`));
    expect(await readModel('rb_cli')).toEqual(before);
  });
});
