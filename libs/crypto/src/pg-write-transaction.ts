import type { ClientBase, Pool } from 'pg';

// Write transactions whose BEGIN has not been sent yet.
const unbegun = new WeakSet<ClientBase>();

/**
 * `BEGIN; ` when `tx` is a write transaction still to begin (and it is begun from here on), else
 * ''. A new Patient's key (lock and read-or-insert, one simple query) is the first statement of
 * their first write: BEGIN rides along in the same round trip.
 */
export function pendingBegin(tx: ClientBase): string {
  return unbegun.delete(tx) ? 'BEGIN; ' : '';
}

type Query = (...args: unknown[]) => unknown;

/**
 * A transaction as `withTransaction` runs it, except that BEGIN waits for the first statement:
 * sent within it by `pendingBegin`, or else queued just ahead of it (the client sends in order),
 * so the transaction holds exactly what it always did. Statements are promise-style queries.
 * Nothing sent: nothing to commit.
 */
export async function withWriteTransaction<T>(pool: Pool, fn: (tx: ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // As withTransaction: a server-side termination must reach the pending query, not the process.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  const own = Object.getOwnPropertyDescriptor(client, 'query');
  const query = client.query.bind(client) as unknown as Query;
  client.query = ((...args: unknown[]) => {
    if (!unbegun.delete(client)) return query(...args);
    const begin = query('BEGIN') as Promise<unknown>;
    const first = query(...args) as Promise<unknown>;
    return Promise.all([begin, first]).then(([, result]) => result);
  }) as ClientBase['query'];
  unbegun.add(client);
  const begun = () => !unbegun.has(client);
  try {
    const result = await fn(client);
    if (begun()) await query('COMMIT');
    return result;
  } catch (e) {
    if (begun()) await (query('ROLLBACK') as Promise<unknown>).catch(() => undefined);
    throw e;
  } finally {
    unbegun.delete(client);
    if (own === undefined) delete (client as { query?: unknown }).query;
    else Object.defineProperty(client, 'query', own);
    client.off('error', ignore);
    client.release();
  }
}
