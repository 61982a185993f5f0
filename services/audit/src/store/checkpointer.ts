import { errors } from '@medspa/errors';
import { withTransaction, type Pool, type PoolClient } from '@medspa/db';
import { genesisHash } from '../domain/chain-hash.js';
import type { Checkpoint } from '../domain/checkpoint-statement.js';
import {
  checkpointSignatureValid,
  signCheckpoint,
  type CheckpointSigner,
  type TrustedKeys,
} from '../signing/checkpoint-signer.js';
import { walkChain, type WalkState } from '../verify/chain-walk.js';
import type { ChainHead } from './append.js';
import { pgLogSource } from './pg-log-source.js';

export interface CheckpointerOptions {
  signer: CheckpointSigner;
  /** To check the previous checkpoint before building on it; must include the signer's own key. */
  trustedKeys: TrustedKeys;
  /** N: sign a chain as soon as this many entries are unsigned. */
  everyEntries: number;
  now?: () => Date;
}

export interface Checkpointer {
  /** Signs the chain's current head if it is past the last checkpoint; undefined when nothing is new. */
  checkpoint(chainId: string): Promise<Checkpoint | undefined>;
  /** After an append: signs the chains that now have at least N unsigned entries. */
  afterAppend(heads: readonly ChainHead[]): Promise<Checkpoint[]>;
  /** Signs every chain with unsigned entries (run every T: startCheckpointSchedule); throws after trying all. */
  sweep(): Promise<Checkpoint[]>;
}

const LAST_CHECKPOINT = `
SELECT seq, head_hash, previous_seq, signed_at, key_id, signature FROM audit.checkpoints
WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1`;

const INSERT_CHECKPOINT = `
INSERT INTO audit.checkpoints (tenant_id, seq, head_hash, previous_seq, signed_at, key_id, signature)
VALUES ($1, $2, $3, $4, $5, $6, $7)`;

const UNSIGNED_CHAINS = `
SELECT c.tenant_id FROM audit.chains c
WHERE c.head_seq > coalesce((SELECT max(k.seq) FROM audit.checkpoints k WHERE k.tenant_id = c.tenant_id), 0)`;

/**
 * Signs checkpoints. Before signing, it re-verifies the entries since the last checkpoint against
 * that (signature-checked) checkpoint, so it never vouches for history someone changed in between.
 * Checkpoints of one chain are made one at a time (an advisory lock, and a unique predecessor).
 */
export function createCheckpointer(pool: Pool, options: CheckpointerOptions): Checkpointer {
  const now = options.now ?? (() => new Date());
  const signedThrough = new Map<string, number>();

  async function checkpoint(chainId: string): Promise<Checkpoint | undefined> {
    const made = await withTransaction(pool, (client) => checkpointLocked(client, chainId));
    if (made !== undefined) signedThrough.set(chainId, made.sequence);
    return made;
  }

  async function checkpointLocked(client: PoolClient, chainId: string): Promise<Checkpoint | undefined> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `audit.checkpoint:${chainId}`,
    ]);
    const source = pgLogSource(client);
    const head = await source.head(chainId);
    const previous = await lastCheckpoint(client, chainId);
    const from = previous ?? { sequence: 0, headHash: genesisHash(chainId) };
    if (head === undefined || head.sequence <= from.sequence) return undefined;
    if (previous !== undefined && !checkpointSignatureValid(previous, options.trustedKeys)) {
      throw chainBroken(chainId, `the checkpoint at #${previous.sequence} does not verify`);
    }
    const state: WalkState = {
      previous: from.headHash,
      expected: from.sequence + 1,
      signedThrough: 0,
      checkpointsVerified: 0,
    };
    const problem = await walkChain(source, chainId, state, {
      through: head.sequence,
      pageSize: 5000,
      readAhead: 1,
      checkColumns: false,
    });
    if (problem !== undefined) throw chainBroken(chainId, problem.detail);
    if (state.expected - 1 !== head.sequence || !state.previous.equals(head.hash)) {
      throw chainBroken(chainId, `the entries do not end at the head #${head.sequence}`);
    }
    const checkpoint = await signCheckpoint(options.signer, {
      chainId,
      sequence: head.sequence,
      headHash: head.hash,
      previousSequence: from.sequence,
      signedAt: now(),
      keyId: await options.signer.currentKeyId(),
    });
    await client.query(INSERT_CHECKPOINT, [
      chainId,
      checkpoint.sequence,
      checkpoint.headHash,
      checkpoint.previousSequence,
      checkpoint.signedAt,
      checkpoint.keyId,
      checkpoint.signature,
    ]);
    return checkpoint;
  }

  async function afterAppend(heads: readonly ChainHead[]): Promise<Checkpoint[]> {
    const made: Checkpoint[] = [];
    for (const head of heads) {
      let signed = signedThrough.get(head.chainId);
      if (signed === undefined) {
        signed = (await lastCheckpoint(pool, head.chainId))?.sequence ?? 0;
        signedThrough.set(head.chainId, signed);
      }
      if (head.sequence - signed < options.everyEntries) continue;
      const checkpointMade = await checkpoint(head.chainId);
      if (checkpointMade !== undefined) made.push(checkpointMade);
    }
    return made;
  }

  async function sweep(): Promise<Checkpoint[]> {
    const due = await pool.query<{ tenant_id: string }>(UNSIGNED_CHAINS);
    const made: Checkpoint[] = [];
    const failures: unknown[] = [];
    // One broken chain must not leave every other tenant unsigned.
    for (const { tenant_id } of due.rows) {
      const checkpointMade = await checkpoint(tenant_id).catch((e: unknown) => void failures.push(e));
      if (checkpointMade !== undefined) made.push(checkpointMade);
    }
    if (failures.length > 0)
      throw new AggregateError(failures, `${failures.length} audit chain(s) not checkpointed`);
    return made;
  }

  return { checkpoint, afterAppend, sweep };
}

async function lastCheckpoint(db: Pick<Pool, 'query'>, chainId: string): Promise<Checkpoint | undefined> {
  const res = await db.query<{
    seq: number;
    head_hash: Buffer;
    previous_seq: number;
    signed_at: Date;
    key_id: string;
    signature: Buffer;
  }>(LAST_CHECKPOINT, [chainId]);
  const row = res.rows[0];
  if (row === undefined) return undefined;
  return {
    chainId,
    sequence: row.seq,
    headHash: row.head_hash,
    previousSequence: row.previous_seq,
    signedAt: row.signed_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}

// Not retried and not signed over: an alarm for people, who run a full verification.
const chainBroken = (chainId: string, why: string) =>
  errors.internal('AUDIT_CHAIN_BROKEN', `Refusing to checkpoint chain ${chainId}: ${why}`);
