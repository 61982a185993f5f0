import { escapeLiteral } from 'pg';
import type { Pool, PoolClient } from '@medspa/db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[a-z_][a-z0-9_]*$/;

/** A read-only statement prepared once per connection: `sql` takes `$1…` of `types`. */
export interface PreparedRead {
  name: string;
  types: readonly string[];
  sql: string;
}

/** A value as an SQL literal: `readInTenant` passes its arguments inline in one simple query. */
const literal = (value: string | Date): string =>
  escapeLiteral(value instanceof Date ? value.toISOString() : value);

// PREPARE is per session: which reads each pooled connection already holds.
const preparedOn = new WeakMap<PoolClient, Set<string>>();

/**
 * One prepared read for one tenant in a single round trip (withTenant takes three: BEGIN with the
 * tenant, the query, COMMIT; and an unprepared statement is planned every time, which costs the
 * day calendar's three subqueries three times their execution). The tenant, the EXECUTE (and the
 * PREPARE on a connection's first use) travel as one simple query, which Postgres runs as one
 * implicit transaction: `set_config(..., true)` holds for the read's row-level security and ends
 * with it, so the pooled connection keeps no tenant. A failed read discards its connection, so no
 * half-known prepared state is reused.
 */
export async function readInTenant<Row>(
  pool: Pool,
  tenantId: string,
  read: PreparedRead,
  args: readonly (string | Date)[],
): Promise<Row[]> {
  if (!UUID.test(tenantId)) throw new TypeError('The tenant id must be a UUID');
  if (!NAME.test(read.name)) throw new TypeError('A prepared read needs a plain lower-case name');
  const client = await pool.connect();
  const prepared = preparedOn.get(client) ?? new Set<string>();
  const statements = [
    ...(prepared.has(read.name) ? [] : [`PREPARE ${read.name}(${read.types.join(', ')}) AS ${read.sql}`]),
    `SELECT set_config('app.tenant_id', ${literal(tenantId)}, true)`,
    `EXECUTE ${read.name}(${args.map(literal).join(', ')})`,
  ];
  let results: { rows: Row[] }[];
  try {
    results = (await client.query(statements.join('; '))) as unknown as { rows: Row[] }[];
  } catch (e) {
    client.release(e instanceof Error ? e : new Error(String(e)));
    throw e;
  }
  prepared.add(read.name);
  preparedOn.set(client, prepared);
  client.release();
  return results.at(-1)?.rows ?? [];
}
