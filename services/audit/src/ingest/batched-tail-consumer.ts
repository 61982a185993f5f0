import type { Pool, PoolClient } from '@medspa/db';
import { isAppError } from '@medspa/errors';
import { ScanAhead } from '@medspa/eventstore';
import {
  describeFailure,
  loadTailCheckpoint,
  saveTailCheckpoint,
  type MessageConsumer,
  type SettledMessage,
} from '@medspa/messaging';
import type { Logger } from '@medspa/observability';
import type { AuditRecord } from '../domain/audit-record.js';
import { AUDIT_SCHEMA } from '../migrations.js';
import type { AppendOutcome, AuditStore } from '../store/append.js';
import {
  mapRow,
  parkRejected,
  readOutboxBatch,
  redriveRequested,
  rejectedFor,
  resolveRedriven,
  type OutboxRow,
  type Rejected,
} from './tail-rows.js';

export interface BatchedTailOptions {
  /** For the leader lock's connection and the bookkeeping (checkpoints, parked messages). */
  pool: Pool;
  store: AuditStore;
  /** The consumer name: its rows in tail_checkpoints and dead_letters (same as the lib consumer's). */
  consumer: string;
  producerSchema: string;
  topic: string;
  batchSize: number;
  pollIntervalMs: number;
  logger: Logger;
  onAppended?: (outcome: AppendOutcome) => void;
  onSettled?: (settled: SettledMessage) => void | Promise<void>;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * The embedded transport's ingest, a batch at a time: reads up to `batchSize` outbox rows of one
 * producer (gap-safe), maps them, appends every valid one in ONE store append, then (one
 * transaction) parks the rest and moves the checkpoint. libs/messaging's tail consumer does one
 * transaction per message, ~400 messages/s here; this is what makes ingest reach its target.
 *
 * Exactly once without a per-message claim: the store's message-id registry makes a redelivered
 * batch (a crash between the append and the checkpoint) come back as duplicates, never new entries.
 * A failing append (Postgres unreachable, a deadlock) is the store's problem, not the messages':
 * the batch is retried from the same checkpoint with backoff, and nothing is parked for it.
 */
export function createBatchedTailConsumer(options: BatchedTailOptions): MessageConsumer {
  const { consumer, producerSchema, logger } = options;
  const stopping = new AbortController();
  let lockClient: PoolClient | undefined;
  let loop: Promise<void> | undefined;

  /** One leader per consumer name, with the key libs/messaging uses: never two readers of a source. */
  async function leader(): Promise<PoolClient | undefined> {
    if (lockClient !== undefined) return lockClient;
    const client = await options.pool.connect();
    const res = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
      [`medspa.tail:${AUDIT_SCHEMA}:${consumer}`],
    );
    if (res.rows[0]?.locked === true) return (lockClient = client);
    client.release();
    return undefined;
  }

  function dropLeader(): void {
    // Destroying the connection frees the session lock.
    lockClient?.release(true);
    lockClient = undefined;
  }

  /** Appends the valid records; ids another tenant holds, or records the store refuses, are parked. */
  async function append(
    rows: readonly OutboxRow[],
  ): Promise<{ rejected: Rejected[]; settled: SettledMessage[] }> {
    const rejected: Rejected[] = [];
    const records: { row: OutboxRow; record: AuditRecord }[] = [];
    for (const row of rows) {
      const mapped = mapRow(row);
      if (mapped.ok) records.push({ row, record: mapped.record });
      else rejected.push(mapped.rejected);
    }
    const settled: SettledMessage[] = [];
    if (records.length > 0) {
      const outcome = await appendIsolating(records, rejected);
      options.onAppended?.(outcome);
      const duplicates = new Set(outcome.duplicates);
      const refused = new Set(outcome.refused);
      for (const { row, record } of records) {
        const id = record.messageId;
        if (refused.has(id)) {
          rejected.push({ row, messageId: id, errorClass: 'validation', reason: 'AUDIT_MESSAGE_ID_TAKEN' });
        } else settled.push(settledOf(row, id, duplicates.has(id) ? 'duplicate' : 'applied'));
      }
    }
    settled.push(...rejected.map((r) => settledOf(r.row, r.messageId, 'parked')));
    return { rejected, settled };
  }

  /**
   * One append for the batch; should the store refuse the batch as invalid (a record `toAuditRecord`
   * let through), records go one by one so that only the invalid ones are parked.
   */
  async function appendIsolating(
    records: { row: OutboxRow; record: AuditRecord }[],
    rejected: Rejected[],
  ): Promise<AppendOutcome> {
    try {
      return await options.store.append(records.map((r) => r.record));
    } catch (e) {
      if (!(isAppError(e) && e.kind === 'validation')) throw e;
    }
    const merged: AppendOutcome = { appended: [], duplicates: [], refused: [], heads: [] };
    for (const r of records.splice(0)) {
      try {
        const one = await options.store.append([r.record]);
        merged.appended.push(...one.appended);
        merged.duplicates.push(...one.duplicates);
        merged.refused.push(...one.refused);
        merged.heads.push(...one.heads);
        records.push(r);
      } catch (e) {
        if (!(isAppError(e) && e.kind === 'validation')) throw e;
        rejected.push(rejectedFor(r.row, e));
      }
    }
    return merged;
  }

  async function report(settled: readonly SettledMessage[]): Promise<void> {
    for (const s of settled) await options.onSettled?.(s);
  }

  // The producer's other topics past the checkpoint: not rescanned on every poll.
  const scanAhead = new ScanAhead();

  async function pass(db: PoolClient): Promise<number> {
    const redriven = await redriveRequested(db, AUDIT_SCHEMA, consumer, options.batchSize);
    if (redriven.length > 0) {
      const { rejected, settled } = await append(redriven);
      const parkedAgain = new Set(rejected.map((r) => r.messageId));
      await parkRejected(db, AUDIT_SCHEMA, consumer, rejected);
      await report(settled);
      const resolved = redriven.map((r) => r.message_id).filter((id) => !parkedAgain.has(id));
      await resolveRedriven(db, AUDIT_SCHEMA, consumer, resolved);
    }
    const after = await loadTailCheckpoint(db, AUDIT_SCHEMA, consumer, producerSchema);
    const batch = await readOutboxBatch(db, producerSchema, scanAhead.from(after), options.batchSize, [
      options.topic,
    ]);
    if (batch.rows.length === 0) {
      scanAhead.foundNothing(after, batch.checkpoint);
      return redriven.length;
    }
    scanAhead.clear();
    const { rejected, settled } = await append(batch.rows);
    // Parked before reported, reported before the checkpoint moves (the lib consumer's order): a
    // crash in between redelivers the batch, which the registry turns into duplicates.
    await parkRejected(db, AUDIT_SCHEMA, consumer, rejected);
    await report(settled);
    await saveTailCheckpoint(db, AUDIT_SCHEMA, consumer, producerSchema, batch.checkpoint);
    return redriven.length + batch.rows.length;
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        const db = await leader();
        const handled = db === undefined ? 0 : await pass(db);
        failures = 0;
        if (handled === 0) await sleep(options.pollIntervalMs, signal);
      } catch (e) {
        failures++;
        dropLeader();
        logger.warn({ consumer, ...describeFailure(e), retry: true }, 'audit ingest batch failed');
        await sleep(Math.min(30_000, options.pollIntervalMs * 5 * 2 ** Math.min(failures, 8)), signal);
      }
    }
  }

  return {
    async start() {
      // Fail fast on a missing grant or migration rather than in the background loop.
      const db = await leader();
      if (db !== undefined)
        await readOutboxBatch(db, producerSchema, { transactionId: '0', position: 0 }, 1, [options.topic]);
      loop ??= run(stopping.signal);
    },
    async stop() {
      stopping.abort();
      await loop;
      dropLeader();
    },
  };
}

const settledOf = (
  row: OutboxRow,
  messageId: string,
  outcome: SettledMessage['outcome'],
): SettledMessage => ({
  messageId,
  topic: row.topic,
  key: row.message_key,
  outcome,
  attempts: 1,
});
