import { pgCode, type Pool, type PoolClient } from '@medspa/db';
import { ScanAhead, type Checkpoint, type EventStore } from '@medspa/eventstore';
import type { Logger } from '@medspa/observability';
import { applyEvents } from './apply-events.js';
import { advanceCheckpoint, loadCheckpoint } from './checkpoints.js';
import type { ProjectionInstruments } from './instruments.js';
import type { NewsWatch } from './news-watch.js';
import { tryLead, type Leadership } from './leadership.js';
import type { Projection } from './projection.js';
import { backoffDelay, sleep, type Backoff } from './sleep.js';
import { findSnapshotBlocker, StallClock } from './stall.js';

export interface ProjectorSettings {
  batchSize: number;
  pollIntervalMs: number;
  /** Longest an idle projector goes without reading its checkpoint and the log itself. */
  idleRereadMs: number;
  leaderRetryMs: number;
  stallWarnAfterMs: number;
  retry: Backoff;
}

export interface ProjectorDeps {
  pool: Pool;
  store: Pick<EventStore, 'schema' | 'readAll'>;
  /** Where an idle projector waits for events of its types (one probe for a runner's projections). */
  news: NewsWatch;
  projection: Projection;
  settings: ProjectorSettings;
  logger: Logger;
  instruments: ProjectionInstruments;
}

/** One projection's state as this runner sees it. */
export interface ProjectionStatus {
  projection: string;
  /** Whether this runner currently holds the projection's lock (another replica may). */
  leading: boolean;
  /** The last checkpoint this runner read or committed. */
  checkpoint: Checkpoint | undefined;
  heldBackSeconds: number;
  consecutiveFailures: number;
  /** What the last failure was (error class and SQLSTATE; never its message, which may hold PHI). */
  lastFailure: { type: string; code?: string; at: Date } | undefined;
}

/** The loop that advances one projection: lead, read a gap-safe batch, apply it with its checkpoint. */
export function createProjector(deps: ProjectorDeps) {
  const { pool, store, news, projection, settings, logger, instruments } = deps;
  const name = projection.name;
  const stall = new StallClock(settings.stallWarnAfterMs);
  let leadership: Leadership | undefined;
  let checkpoint: Checkpoint | undefined;
  let failures = 0;
  let lastFailure: ProjectionStatus['lastFailure'];

  // A projection reads only its stream types: skip what it found none of since its checkpoint.
  const scanAhead = new ScanAhead();

  /** Where an idle projector has read up to, for the news probe. */
  let readUpTo: Checkpoint | undefined;
  /** When a batch last moved the checkpoint: a projector counts as idle a while after. */
  let lastProgressAt = 0;

  // What this projector itself committed last, while it keeps finding events: the next batch starts
  // there without reading the row. A rebuild that reset the row meanwhile makes that batch's
  // compare-and-set fail, and the row is read again; so is it after every idle wait and failure.
  let committed: Checkpoint | undefined;

  /** Reads and applies one batch; true when it moved the checkpoint (so there may be more at once). */
  async function step(client: PoolClient): Promise<boolean> {
    const from = committed ?? (await loadCheckpoint(client, store.schema, name));
    committed = undefined;
    checkpoint = from;
    const batch = await store.readAll(scanAhead.from(from), {
      limit: settings.batchSize,
      db: client,
      ...(projection.streamTypes ? { streamTypes: [...projection.streamTypes] } : {}),
    });
    const now = Date.now();
    stall.observe(batch.heldBack, batch.events.length > 0, now);
    if (stall.shouldWarn(now)) await warnStalled(client, now);
    if (batch.events.length === 0) {
      scanAhead.foundNothing(from, batch.checkpoint);
      readUpTo = batch.checkpoint;
      return false;
    }

    await client.query('BEGIN');
    let applied: number;
    try {
      applied = await applyEvents(client, projection, batch.events);
      if (!(await advanceCheckpoint(client, store.schema, name, from, batch.checkpoint))) {
        await client.query('ROLLBACK');
        logger.info(
          { projection: name },
          'projection checkpoint moved under the batch (a rebuild?); rereading',
        );
        return true;
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
    checkpoint = batch.checkpoint;
    committed = batch.checkpoint;
    scanAhead.clear();
    instruments.applied(name, applied);
    const committedAt = Date.now();
    for (const e of batch.events) instruments.delay(name, (committedAt - e.recordedAt.getTime()) / 1000);
    return true;
  }

  async function warnStalled(client: PoolClient, now: number): Promise<void> {
    const blocker = await findSnapshotBlocker(client).catch(() => undefined);
    logger.warn(
      { projection: name, heldBackSeconds: stall.heldBackMs(now) / 1000, blocker },
      'projection held back: an older transaction is still open in the cluster',
    );
  }

  async function fail(e: unknown, signal: AbortSignal): Promise<void> {
    failures++;
    instruments.failed(name);
    lastFailure = describeFailure(e);
    const delayMs = backoffDelay(settings.retry, failures);
    logger.error(
      { err: e, projection: name, attempt: failures, retryInMs: Math.round(delayMs) },
      'projection batch failed and was rolled back; retrying with backoff',
    );
    // The connection's state is unknown after a failure: close it, which also gives up the lock.
    await leadership?.release(e);
    leadership = undefined;
    await sleep(delayMs, signal);
  }

  /** Runs until `signal` aborts; the batch in flight commits or rolls back before it returns. */
  async function run(signal: AbortSignal): Promise<void> {
    try {
      while (!signal.aborted) {
        try {
          leadership ??= await tryLead(pool, store.schema, name);
          if (leadership === undefined) {
            await sleep(settings.leaderRetryMs, signal);
            continue;
          }
          const progressed = await step(leadership.client);
          failures = 0;
          if (progressed) lastProgressAt = Date.now();
          // Busy (events came within the last second): read again after the poll interval, the
          // shortest way to the next batch. Idle: wait for the runner's probe, which asks for every
          // idle projection in one statement, and read anyway now and then (which also notices a
          // checkpoint that a rebuild put back).
          else if (Date.now() - lastProgressAt < settings.idleRereadMs)
            await sleep(settings.pollIntervalMs, signal);
          else if (readUpTo !== undefined)
            await news.wait(
              { after: readUpTo, ...(projection.streamTypes ? { streamTypes: projection.streamTypes } : {}) },
              settings.idleRereadMs,
              signal,
            );
        } catch (e) {
          await fail(e, signal);
        }
      }
    } finally {
      await leadership?.release();
      leadership = undefined;
    }
  }

  const status = (): ProjectionStatus => ({
    projection: name,
    leading: leadership !== undefined,
    checkpoint,
    heldBackSeconds: stall.heldBackMs(Date.now()) / 1000,
    consecutiveFailures: failures,
    lastFailure,
  });

  return { name, run, status };
}

export type Projector = ReturnType<typeof createProjector>;

function describeFailure(e: unknown): NonNullable<ProjectionStatus['lastFailure']> {
  const type = e instanceof Error ? e.constructor.name : typeof e;
  const code = pgCode(e);
  return { type, ...(code === undefined ? {} : { code }), at: new Date() };
}
