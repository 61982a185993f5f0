import type { Pool, PoolClient } from '@medspa/db';

/*
 * Why a session advisory lock, and why batches commit on the session that holds it:
 *
 * - `SELECT ... FOR UPDATE` on the checkpoint row would need a transaction per poll: it assigns a
 *   transaction id and writes a row lock even when there is nothing to apply, and it holds that id
 *   from the read to the commit. Every open transaction id holds back every gap-safe reader in the
 *   cluster, so idle projectors polling every few milliseconds would stall each other and burn ids.
 * - A session advisory lock costs nothing while held and assigns no transaction id. The leader keeps
 *   one pooled connection for as long as it leads and runs every batch transaction on that very
 *   connection: losing the connection loses the lock and the open batch together, so a replica that
 *   lost its lock can never commit a batch (no split brain). A follower retries every
 *   `leaderRetryMs`; on failover it picks up from the committed checkpoint.
 * - Checkpoints still advance compare-and-set (see advanceCheckpoint), which keeps the update exact
 *   when a rebuild resets the checkpoint mid-batch, or behind a pooler that breaks session locks.
 */

// One 64-bit key per schema and projection (advisory locks are per database). A 32-bit hash could
// let two projections collide, and one of them would then never find a leader.
const LOCK_SQL = `SELECT pg_try_advisory_lock(hashtextextended('medspa.projection:' || $1, 0)) AS locked`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtextextended('medspa.projection:' || $1, 0))`;

export interface Leadership {
  client: PoolClient;
  /** Gives the lock and the connection back; `broken` destroys the connection instead. */
  release(broken?: unknown): Promise<void>;
}

/** Tries to become the one runner that advances `schema.projection`; undefined when another leads. */
export async function tryLead(
  pool: Pool,
  schema: string,
  projection: string,
): Promise<Leadership | undefined> {
  const key = `${schema}.${projection}`;
  const client = await connectListening(pool);
  try {
    const res = await client.query<{ locked: boolean }>(LOCK_SQL, [key]);
    if (res.rows[0]?.locked !== true) {
      client.off('error', ignoreConnectionError);
      client.release();
      return undefined;
    }
  } catch (e) {
    client.release(toError(e));
    throw e;
  }
  let released = false;
  return {
    client,
    release: async (broken?: unknown) => {
      if (released) return;
      released = true;
      // A broken connection (or one whose transaction state is unknown) is closed, which ends the
      // lock; it keeps the listener, since a dying connection may still emit.
      if (broken !== undefined) return client.release(toError(broken));
      try {
        await client.query(UNLOCK_SQL, [key]);
        client.off('error', ignoreConnectionError);
        client.release();
      } catch (e) {
        client.release(toError(e));
      }
    },
  };
}

const ignoreConnectionError = (): void => undefined;

/**
 * A checked-out client has no pool listener, so a dropped connection would be an uncaught 'error'
 * event that ends the process; the failure reaches us anyway, through the running or the next query.
 * The listener goes on inside pool.connect's callback: a promise would resume a tick later, and a
 * FATAL that arrives in the same packet as the connection's ReadyForQuery is emitted before then.
 */
function connectListening(pool: Pool): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    pool.connect((err, client) => {
      if (err || !client) return reject(err ?? new Error('pool.connect gave no client'));
      client.on('error', ignoreConnectionError);
      resolve(client);
    });
  });
}
const toError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
