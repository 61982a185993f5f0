import pg from 'pg';
import { chainHash, genesisHash } from '../domain/chain-hash.js';

/**
 * Runs `fn` as someone with direct database access: a superuser session with triggers switched
 * off (`session_replication_role = replica`), so UPDATE and DELETE go through on the audit tables.
 */
export async function asAttacker<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SET session_replication_role = replica');
    return await fn(client);
  } finally {
    await client.end();
  }
}

// Far above any test chain, so moving rows through it never collides with a key.
const PARKED = 1_000_000_000;

/** Shifts the sequence numbers of entries from `from` on by `delta` (through a parking range). */
export async function renumber(
  client: pg.Client,
  tenantId: string,
  from: number,
  delta: number,
): Promise<void> {
  await client.query('UPDATE audit.entries SET seq = seq + $3 WHERE tenant_id = $1 AND seq >= $2', [
    tenantId,
    from,
    PARKED,
  ]);
  await client.query('UPDATE audit.entries SET seq = seq - $2 + $3 WHERE tenant_id = $1 AND seq >= $2', [
    tenantId,
    PARKED,
    delta,
  ]);
}

/** Swaps the sequence numbers of two entries. */
export async function swap(client: pg.Client, tenantId: string, a: number, b: number): Promise<void> {
  const move = 'UPDATE audit.entries SET seq = $3 WHERE tenant_id = $1 AND seq = $2';
  await client.query(move, [tenantId, a, PARKED]);
  await client.query(move, [tenantId, b, a]);
  await client.query(move, [tenantId, PARKED, b]);
}

/**
 * Recomputes the previous and entry hashes of every entry from `from` on, and the chain head: what
 * an attacker does to make a change consistent. Only the checkpoints' signatures still tell.
 */
export async function rehashFrom(client: pg.Client, tenantId: string, from: number): Promise<void> {
  const before = await client.query<{ entry_hash: Buffer }>(
    'SELECT entry_hash FROM audit.entries WHERE tenant_id = $1 AND seq = $2 - 1',
    [tenantId, from],
  );
  let previous = before.rows[0]?.entry_hash ?? genesisHash(tenantId);
  const rows = await client.query<{ seq: string; canonical: Buffer }>(
    'SELECT seq::text, canonical FROM audit.entries WHERE tenant_id = $1 AND seq >= $2 ORDER BY seq',
    [tenantId, from],
  );
  for (const row of rows.rows) {
    const hash = chainHash(previous, row.canonical);
    await client.query(
      'UPDATE audit.entries SET prev_hash = $3, entry_hash = $4 WHERE tenant_id = $1 AND seq = $2',
      [tenantId, Number(row.seq), previous, hash],
    );
    previous = hash;
  }
  await client.query(
    `UPDATE audit.chains SET (head_seq, head_hash) = (
       SELECT seq, entry_hash FROM audit.entries WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1)
     WHERE tenant_id = $1`,
    [tenantId],
  );
}
