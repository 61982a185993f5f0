import type { Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { createPool, quoteIdent } from '@medspa/db';
import { createEventStore, newId, type EventMetadata } from '@medspa/eventstore';
import { trackBackends } from '../lib/proc-cpu.js';
import type { AppointmentEvent } from './payload.js';
import { prototypeAppend } from './prototype-append.js';

/** The ways of writing the same events that the append benchmarks compare (see `ours_prototype`). */
export type ContenderName = 'ours' | 'emmett' | 'raw_insert' | 'ours_prototype';

/**
 * Appends `events` as versions `expected + 1`.. of a stream, with optimistic concurrency where the
 * contender has it.
 */
export interface Contender {
  append(
    streamId: string,
    expected: number,
    events: AppointmentEvent[],
    metadata: EventMetadata,
  ): Promise<void>;
  close(): Promise<void>;
  /** The server processes of the contender's connections, for CPU accounting. */
  backendPids(): number[];
}

export interface ContenderTarget {
  url: string;
  /** Our schema (ours and raw_insert); Emmett uses its own database's default schema. */
  schema: string;
  poolSize: number;
}

const STREAM_TYPE = 'appointment';

/** Our store through its public API: one `append` per command, autocommit (the store's one statement). */
function ours(t: ContenderTarget): Contender {
  const pool = createPool(t.url, { applicationName: 'bench-ours', max: t.poolSize });
  const store = createEventStore(pool, { schema: t.schema });
  const backendPids = trackBackends(pool);
  return {
    backendPids,
    async append(streamId, expected, events, metadata) {
      await store.append(streamId, STREAM_TYPE, expected, events, metadata);
    },
    close: () => pool.end(),
  };
}

/**
 * Emmett 0.42 as its docs show it, on a pg.Pool of the same size: `appendToStream` with the
 * expected version (a transaction around its `emt_append_to_stream` function).
 */
function emmett(t: ContenderTarget): Contender {
  const pool = new pg.Pool({ connectionString: t.url, max: t.poolSize, application_name: 'bench-emmett' });
  const backendPids = trackBackends(pool);
  const store = getPostgreSQLEventStore(t.url, {
    connectionOptions: { pool },
    // The schema is created once by `migrateEmmett`, not by every benchmark's first append.
    schema: { autoMigration: 'None' },
  });
  return {
    backendPids,
    async append(streamId, expected, events, metadata) {
      const toAppend = events.map((e) => ({ type: e.type, data: e.data, metadata })) as unknown as Event[];
      await store.appendToStream(streamId, toAppend, { expectedStreamVersion: BigInt(expected) });
    },
    close: async () => {
      await store.close();
      await pool.end();
    },
  };
}

/** Creates Emmett's tables and functions in its database (what its auto-migration would do). */
export async function migrateEmmett(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await getPostgreSQLEventStore(url, { connectionOptions: { pool } }).schema.migrate();
  } finally {
    await pool.end();
  }
}

/**
 * The physical floor: a plain INSERT of the same rows into a copy of our `events` table (same
 * columns, defaults, identity and indexes), versions numbered by the writer, no checks, no outbox.
 * One row: a prepared single-row INSERT; a batch: one `unnest` INSERT, as our store batches.
 */
function rawInsert(t: ContenderTarget): Contender {
  const pool = createPool(t.url, { applicationName: 'bench-raw', max: t.poolSize });
  const table = `${quoteIdent(t.schema)}.raw_events`;
  const columns =
    'stream_id, stream_type, stream_version, event_id, event_type, schema_version, data, metadata';
  const single = `INSERT INTO ${table} (${columns}) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)`;
  const batch = `INSERT INTO ${table} (${columns})
    SELECT $1, $2, e.v, e.id, e.type, 1, e.data, e.meta
    FROM unnest($3::bigint[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[]) AS e(v, id, type, data, meta)`;
  const backendPids = trackBackends(pool);
  return {
    backendPids,
    async append(streamId, expected, events, metadata) {
      const meta = JSON.stringify(metadata);
      const first = events[0];
      if (events.length === 1 && first !== undefined) {
        await pool.query({
          name: 'raw.single',
          text: single,
          values: [
            streamId,
            STREAM_TYPE,
            expected + 1,
            newId(),
            first.type,
            JSON.stringify(first.data),
            meta,
          ],
        });
        return;
      }
      await pool.query({
        name: 'raw.batch',
        text: batch,
        values: [
          streamId,
          STREAM_TYPE,
          events.map((_, i) => expected + 1 + i),
          events.map(() => newId()),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map(() => meta),
        ],
      });
    },
    close: () => pool.end(),
  };
}

/** The suggested change to our append (see `prototype-append.ts`): only with BENCH_PROTOTYPE=1. */
function oursPrototype(t: ContenderTarget): Contender {
  const pool = createPool(t.url, { applicationName: 'bench-prototype', max: t.poolSize });
  const backendPids = trackBackends(pool);
  return {
    backendPids,
    async append(streamId, expected, events, metadata) {
      await prototypeAppend(pool, t.schema, {
        streamId,
        streamType: STREAM_TYPE,
        expected,
        events,
        metadata,
      });
    },
    close: () => pool.end(),
  };
}

export const contenders: Record<ContenderName, (t: ContenderTarget) => Contender> = {
  ours,
  emmett,
  raw_insert: rawInsert,
  ours_prototype: oursPrototype,
};

/** SQL (run as the schema's owner) for the raw baseline's table: a structural copy of `events`. */
export const rawBaselineSql = `CREATE TABLE raw_events (LIKE events INCLUDING ALL);`;
