import type { Pool, PoolClient } from '@medspa/db';

/**
 * One active worker per job (a relay per outbox, a tail consumer per producer) however many
 * replicas run: a session-level advisory lock held on a dedicated connection. A crash closes the
 * connection and frees the lock for a standby; no transaction stays open, so no gap-safe reader is
 * held back by it. The worker runs its queries on `client` so that losing the connection and the
 * lock are the same event.
 */
export interface LeaderLock {
  /** The connection holding the lock, acquiring it when free; undefined while another holds it. */
  hold(): Promise<PoolClient | undefined>;
  /** Gives up the lock (after an error on its connection, or on stop); the connection is closed. */
  drop(): void;
}

/** A leader lock named `key` in the pool's database. */
export function createLeaderLock(pool: Pool, key: string): LeaderLock {
  let held: PoolClient | undefined;
  return {
    async hold() {
      if (held !== undefined) return held;
      const client = await pool.connect();
      try {
        const res = await client.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
          [key],
        );
        if (res.rows[0]?.locked === true) {
          held = client;
          return client;
        }
        client.release();
        return undefined;
      } catch (e) {
        client.release(true);
        throw e;
      }
    },
    drop() {
      // Destroyed rather than returned to the pool: closing the session is what frees the lock.
      held?.release(true);
      held = undefined;
    },
  };
}
