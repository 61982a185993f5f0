import type { Pool, PoolClient } from './pool.js';

/** Runs `fn` in one transaction on one client; rolls back on any throw. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return inTransaction(pool, 'BEGIN', fn);
}

/** `begin` opens the transaction (BEGIN, maybe with more statements in the same round trip). */
async function inTransaction<T>(
  pool: Pool,
  begin: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no listener of the pool's: a server-side termination (an idle-in-
  // transaction timeout, a failover) would otherwise be an uncaught 'error' that ends the process.
  // The failure still reaches `fn` through its pending query.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.off('error', ignore);
    client.release();
  }
}

/** Sets the tenant that row-level security policies see for the rest of this transaction. */
export async function setTenant(client: PoolClient, tenantId: string): Promise<void> {
  await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantId]);
}

/**
 * Runs `fn` in a transaction scoped to one tenant: every read-model table has a FORCE'd
 * row-level-security policy on `app.tenant_id`, so a forgotten WHERE clause cannot cross tenants.
 */
export async function withTenant<T>(
  pool: Pool,
  tenantId: string,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  if (!UUID.test(tenantId)) {
    return withTransaction(pool, async (client) => {
      await setTenant(client, tenantId);
      return fn(client);
    });
  }
  // A UUID (every tenant id) is safe as a literal: BEGIN and the tenant then travel as one simple
  // query, one round trip fewer for every tenant-scoped read (BEGIN, set, query, COMMIT was four).
  return inTransaction(pool, `BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`, fn);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
