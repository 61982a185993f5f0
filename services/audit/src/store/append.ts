import { errors } from '@medspa/errors';
import { pgCode, withTransaction, type Pool, type PoolClient } from '@medspa/db';
import type { AuditRecord } from '../domain/audit-record.js';
import { extendChain, genesisHash } from '../domain/chain-hash.js';
import { CREATE_CHAINS, FIND_STORED, INSERT_ENTRIES, LOCK_HEADS } from './append-sql.js';
import { EntryColumnsBuilder, prepareBatch, type PreparedBatch } from './batch.js';
import { ensureEntryPartitions } from './partitions.js';

/** A chain's last entry. */
export interface ChainHead {
  chainId: string;
  sequence: number;
  hash: Buffer;
}

export interface AppendOutcome {
  appended: { messageId: string; chainId: string; sequence: number }[];
  /** Already in the log (a redelivery, or repeated in the batch): skipped, so ingest is idempotent. */
  duplicates: string[];
  /** Ids another tenant's entry already carries: refused, not appended (the caller parks them). */
  refused: string[];
  /** The head of every chain this append extended. */
  heads: ChainHead[];
}

export interface AuditStore {
  /**
   * Appends a batch in one transaction: each chain's head row is locked, sequences and hashes are
   * computed for all of the chain's new entries at once, and one statement writes them.
   */
  append(records: readonly AuditRecord[]): Promise<AppendOutcome>;
  /** Creates the monthly partitions through `monthsAhead` months from now; call at start-up and daily. */
  ensurePartitions(monthsAhead?: number): Promise<number>;
}

interface LockedHead {
  tenant_id: string;
  head_seq: number;
  head_hash: Buffer;
  appended_at: string;
}

const ATTEMPTS = 3;

/** The append side of the audit log. There is deliberately no way to delete or edit through it. */
export function createAuditStore(pool: Pool): AuditStore {
  const knownChains = new Set<string>();

  async function createMissingChains(chainIds: string[]): Promise<void> {
    const missing = chainIds.filter((id) => !knownChains.has(id));
    if (missing.length === 0) return;
    // Its own statement, before the batch's transaction: chains then always exist when it locks
    // them all in one sorted pass (creating them inside could deadlock two first appends).
    await pool.query(CREATE_CHAINS, [missing, missing.map(genesisHash)]);
    for (const id of missing) knownChains.add(id);
  }

  async function append(records: readonly AuditRecord[]): Promise<AppendOutcome> {
    const batch = prepareBatch(records);
    const chainIds = [...batch.byChain.keys()].sort();
    if (chainIds.length === 0) return { appended: [], duplicates: batch.repeated, refused: [], heads: [] };
    await createMissingChains(chainIds);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await withTransaction(pool, (client) => appendLocked(client, chainIds, batch));
        return { ...outcome, duplicates: [...batch.repeated, ...outcome.duplicates] };
      } catch (e) {
        if (attempt >= ATTEMPTS) throw e;
        const code = pgCode(e);
        // 23514: no partition for this month yet (the daily ensurePartitions did not run).
        if (code === '23514') await ensureEntryPartitions(pool, 3);
        // 23505: the same message committed by another appender meanwhile; the retry skips it.
        else if (code !== '23505' && code !== '40P01') throw e;
      }
    }
  }

  return { append, ensurePartitions: (monthsAhead = 3) => ensureEntryPartitions(pool, monthsAhead) };
}

async function appendLocked(
  client: PoolClient,
  chainIds: string[],
  batch: PreparedBatch,
): Promise<AppendOutcome> {
  const locked = await client.query<LockedHead>({
    name: 'audit.lock-heads',
    text: LOCK_HEADS,
    values: [chainIds],
  });
  const heads = new Map(locked.rows.map((h) => [h.tenant_id, h]));
  const messageIds = [...batch.byChain.values()].flatMap((entries) => entries.map((e) => e.record.messageId));
  const stored = await client.query<{ message_id: string; tenant_id: string }>({
    name: 'audit.find-stored',
    text: FIND_STORED,
    values: [messageIds],
  });
  const storedIn = new Map(stored.rows.map((r) => [r.message_id, r.tenant_id]));

  const outcome: AppendOutcome = { appended: [], duplicates: [], refused: [], heads: [] };
  const columns = new EntryColumnsBuilder();
  for (const chainId of chainIds) {
    const head = heads.get(chainId);
    if (head === undefined) throw errors.internal('AUDIT_CHAIN_MISSING', 'An audit chain head is missing');
    const fresh = (batch.byChain.get(chainId) ?? []).filter((entry) => {
      const owner = storedIn.get(entry.record.messageId);
      if (owner === undefined) return true;
      // Never silently merge two tenants' records under one id: the other one is refused.
      if (owner === chainId) outcome.duplicates.push(entry.record.messageId);
      else outcome.refused.push(entry.record.messageId);
      return false;
    });
    if (fresh.length === 0) continue;
    const links = extendChain(
      { sequence: head.head_seq, hash: head.head_hash },
      fresh.map((e) => e.canonical),
    );
    fresh.forEach((entry, i) => {
      const link = links[i]!;
      columns.add(entry, link.sequence, head.appended_at, link.previousHash, link.entryHash);
      outcome.appended.push({ messageId: entry.record.messageId, chainId, sequence: link.sequence });
    });
    const last = links.at(-1)!;
    columns.moveHead(chainId, last.sequence, last.entryHash, head.appended_at);
    outcome.heads.push({ chainId, sequence: last.sequence, hash: last.entryHash });
  }
  if (columns.rows > 0) {
    await client.query({ name: 'audit.insert-entries', text: INSERT_ENTRIES, values: columns.values() });
  }
  return outcome;
}
