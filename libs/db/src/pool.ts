import pg from 'pg';

// int8 (global positions, counts) fits a JS number for every realistic log size (< 2^53);
// xid8 stays a string so transaction ids are compared in SQL, never in floating point.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export interface PoolOptions {
  /** Shown in pg_stat_activity, so a stalled reader or a long transaction can be traced to its owner. */
  applicationName?: string;
  max?: number;
}

/** A connection pool with the platform's type parsers. */
export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'medspa',
  });
  // An idle client that errors (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}
