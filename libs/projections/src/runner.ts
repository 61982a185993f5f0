import type { Pool } from '@medspa/db';
import type { EventStore } from '@medspa/eventstore';
import { createLogger, type Logger, type Metrics } from '@medspa/observability';
import { loadCheckpoint } from './checkpoints.js';
import { projectionInstruments } from './instruments.js';
import type { Projection } from './projection.js';
import { createNewsWatch } from './news-watch.js';
import { createProjector, type ProjectionStatus, type ProjectorSettings } from './projector.js';
import type { Backoff } from './sleep.js';
import { sleep } from './sleep.js';

export interface ProjectionRunnerOptions {
  /** The service's app-role pool; it needs a connection per projection led, plus one for catchUp. */
  pool: Pool;
  store: Pick<EventStore, 'schema' | 'readAll' | 'probeNews'>;
  projections: readonly Projection[];
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /**
   * How often idle projections ask whether events of their types have come (one statement for all
   * of them). Default 20 ms (lag target: p99 < 100 ms).
   */
  pollIntervalMs?: number;
  /** After this long without news, idle projections are probed every `quietPollIntervalMs`. Default 10 s. */
  quietAfterMs?: number;
  /** Default 8 × `pollIntervalMs` (160 ms). */
  quietPollIntervalMs?: number;
  /** Longest an idle projection goes without reading its checkpoint and the log. Default 1 s. */
  idleRereadMs?: number;
  /** How often a replica that does not lead a projection tries to take it over. Default 1 s. */
  leaderRetryMs?: number;
  /** Warn (and keep warning this often) once held back this long without progress. Default 10 s. */
  stallWarnAfterMs?: number;
  /** Backoff of a failing projection; it retries forever, blocking nobody else. Default 100 ms..30 s. */
  retry?: Backoff;
  logger?: Logger;
  metrics?: Metrics;
}

export interface CatchUpOptions {
  /** Give up (reject, naming the projections behind) after this long. Default 60 s. */
  timeoutMs?: number;
}

export interface ProjectionRunner {
  /** Starts every projector in the background (each leads its projection or waits to). */
  start(): void;
  /**
   * Resolves once every projection's committed checkpoint is at the head of the log: nothing left to
   * read and nothing held back (for tests, benchmarks and rebuilds; under a steady stream of appends
   * it may not get there).
   */
  catchUp(options?: CatchUpOptions): Promise<void>;
  /** Lets each batch in flight finish, releases the locks and resolves when all projectors are done. */
  stop(): Promise<void>;
  status(): ProjectionStatus[];
}

const PROJECTION_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Runs several projections side by side, each from its own checkpoint, under a per-projection lock. */
export function createProjectionRunner(options: ProjectionRunnerOptions): ProjectionRunner {
  const names = options.projections.map((p) => p.name);
  const badName = names.find((n) => !PROJECTION_NAME.test(n));
  if (badName !== undefined) throw new Error(`Projection name ${JSON.stringify(badName)} is not snake_case`);
  if (new Set(names).size !== names.length)
    throw new Error(`Duplicate projection names: ${names.join(', ')}`);
  const settings: ProjectorSettings = {
    batchSize: options.batchSize ?? 500,
    pollIntervalMs: options.pollIntervalMs ?? 20,
    idleRereadMs: options.idleRereadMs ?? 1_000,
    leaderRetryMs: options.leaderRetryMs ?? 1000,
    stallWarnAfterMs: options.stallWarnAfterMs ?? 10_000,
    retry: options.retry ?? { initialMs: 100, maxMs: 30_000 },
  };
  const logger = options.logger ?? createLogger({ service: 'projections' });
  const instruments = projectionInstruments(options.metrics);
  const news = createNewsWatch({
    store: options.store,
    intervalMs: settings.pollIntervalMs,
    ...(options.quietAfterMs === undefined ? {} : { quietAfterMs: options.quietAfterMs }),
    ...(options.quietPollIntervalMs === undefined ? {} : { quietIntervalMs: options.quietPollIntervalMs }),
    logger,
  });
  const projectors = options.projections.map((projection) =>
    createProjector({
      pool: options.pool,
      store: options.store,
      news,
      projection,
      settings,
      logger,
      instruments,
    }),
  );
  const readings = projectors.map((p) => ({
    projection: p.name,
    heldBackSeconds: () => p.status().heldBackSeconds,
    consecutiveFailures: () => p.status().consecutiveFailures,
  }));
  let running: { abort: AbortController; done: Promise<void>; unobserve: () => void } | undefined;

  async function atHead(projection: Projection): Promise<boolean> {
    const from = await loadCheckpoint(options.pool, options.store.schema, projection.name);
    const next = await options.store.readAll(from, {
      limit: 1,
      ...(projection.streamTypes ? { streamTypes: [...projection.streamTypes] } : {}),
    });
    return next.events.length === 0 && !next.heldBack;
  }

  return {
    start() {
      if (running !== undefined) return;
      const abort = new AbortController();
      const done = Promise.all(projectors.map((p) => p.run(abort.signal))).then(() => undefined);
      running = { abort, done, unobserve: instruments.observe(() => readings) };
    },

    async catchUp(catchUpOptions = {}) {
      if (running === undefined) throw new Error('catchUp() needs a started runner');
      const deadline = Date.now() + (catchUpOptions.timeoutMs ?? 60_000);
      news.hurry(); // the caller has just written, most likely: no quiet-spell wait
      // Judged from the committed checkpoints, so it also holds while another replica leads.
      let behind = [...options.projections];
      let lastError: unknown;
      while (behind.length > 0) {
        // A failed check (a dropped connection, a failover) is retried like a negative one.
        const done = await Promise.all(
          behind.map((p) =>
            atHead(p).catch((e: unknown) => {
              lastError = e;
              return false;
            }),
          ),
        );
        behind = behind.filter((_, i) => !done[i]);
        if (behind.length === 0) return;
        if (Date.now() > deadline) {
          const lagging = new Set(behind.map((p) => p.name));
          const detail = projectors.filter((p) => lagging.has(p.name)).map((p) => p.status());
          throw new Error(`Projections did not catch up in time: ${JSON.stringify(detail)}`, {
            cause: lastError,
          });
        }
        await sleep(settings.pollIntervalMs);
      }
    },

    async stop() {
      const current = running;
      if (current === undefined) return;
      current.abort.abort();
      await current.done;
      current.unobserve();
      running = undefined;
    },

    status: () => projectors.map((p) => p.status()),
  };
}
