import type { TokenVerifier } from '@medspa/auth';
import {
  SchedulingServiceService,
  type GetDayCalendarResponse,
} from '@medspa/contracts/medspa.scheduling.v1';
import { createPool, type Pool } from '@medspa/db';
import { createEventStore, type EventStore } from '@medspa/eventstore';
import { createGrpcServer, identityTokenVerifier } from '@medspa/grpc';
import { eventsTopic } from '@medspa/messaging';
import { createLogger, type Logger } from '@medspa/observability';
import { createProjectionRunner, createTenantReadCache } from '@medspa/projections';
import { appointmentRpcs } from './adapters/grpc/appointment-rpcs.js';
import { catalogueChangeRpcs } from './adapters/grpc/catalogue-change-rpcs.js';
import { catalogueRpcs } from './adapters/grpc/catalogue-rpcs.js';
import type { SchedulingDeps } from './adapters/grpc/deps.js';
import { queryRpcs } from './adapters/grpc/query-rpcs.js';
import { waitlistRpcs } from './adapters/grpc/waitlist-rpcs.js';
import { createWaitlistAutofill } from './app/waitlist/timer-poller.js';
import { schedulingOutbox } from './adapters/integration-events.js';
import type { SchedulingConfig } from './config.js';
import { projections } from './projections/index.js';
import { CALENDAR_CHANGES, SCHEMA } from './projections/schema.js';

export interface ServiceOverrides {
  /** Tests verify tokens of their own issuer. */
  verifier?: TokenVerifier;
  now?: () => Date;
  logger?: Logger;
  /** Tests bind 127.0.0.1:0. */
  listenAddress?: string;
  /** Tests prefix the events topic so parallel files never share one. */
  topicPrefix?: string;
}

export interface RunningScheduling {
  port: number;
  address: string;
  store: EventStore;
  pool: Pool;
  /** Resolves once every read model has caught up with the log (tests, benchmarks). */
  catchUp(): Promise<void>;
  /** Fires every waitlist timer due now (tests); resolves with how many fired. */
  fireDueTimers(): Promise<number>;
  stop(): Promise<void>;
}

/** The URL with libpq `options` (session settings) added to any it has. */
function withSessionOptions(databaseUrl: string, options: string): string {
  const url = new URL(databaseUrl);
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing ? `${existing} ${options}` : options);
  return url.toString();
}

/** Starts scheduling: store + outbox, read-model projections and the gRPC server. */
export async function startService(
  config: SchedulingConfig,
  overrides: ServiceOverrides = {},
): Promise<RunningScheduling> {
  const logger = overrides.logger ?? createLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL });
  const keys = overrides.verifier
    ? { verifier: overrides.verifier, close: () => undefined }
    : identityTokenVerifier(config);
  const verifier = keys.verifier;
  const pool = createPool(config.DATABASE_URL, {
    applicationName: 'scheduling',
    max: config.DATABASE_POOL_SIZE,
  });
  const store = createEventStore(pool, { schema: SCHEMA, toOutbox: schedulingOutbox(overrides.topicPrefix) });
  // The read models commit each batch together with its checkpoint, so a crash that loses their last
  // commits loses both and they are re-applied from the log: they need no fsync wait. That wait
  // matters beyond them: every projection transaction open holds back all gap-safe readers of the
  // log (its xid is below theirs), so short projection commits keep the projection lag down.
  const projectionPool = createPool(withSessionOptions(config.DATABASE_URL, '-c synchronous_commit=off'), {
    applicationName: 'scheduling-projections',
    max: projections.length + 2,
  });
  const runner = createProjectionRunner({
    pool: projectionPool,
    store,
    projections,
    logger,
    pollIntervalMs: config.PROJECTION_POLL_MS,
  });
  runner.start();

  const now = overrides.now ?? (() => new Date());
  const waitlist = {
    offerHoldMs: config.WAITLIST_OFFER_HOLD_SECONDS * 1000,
    busyRetryMs: 30_000,
    acceptWatchdogMs: 30_000,
  };
  // The front desk's screens read the same few days over and over; bookings change them rarely.
  const dayCalendars = createTenantReadCache<GetDayCalendarResponse>({
    url: config.DATABASE_URL,
    channel: CALENDAR_CHANGES,
    applicationName: 'scheduling-calendar-changes',
    onError: (e) => logger.warn({ err: e }, 'calendar change listener lost; calendars are read uncached'),
  });
  const deps: SchedulingDeps = {
    store,
    pool,
    now,
    topic: eventsTopic('scheduling', overrides.topicPrefix),
    waitlist,
    dayCalendars,
  };
  // The waitlist auto-fill's durable timers: offers expire and cascade even across restarts.
  const autofill = createWaitlistAutofill({
    ...waitlist,
    store,
    pool,
    now,
    logger,
    pollMs: config.WAITLIST_TIMER_POLL_MS,
    failureRetryMs: 5_000,
  });
  autofill.start();
  const server = createGrpcServer({
    serviceName: 'scheduling',
    verifier,
    logger,
    protoFiles: ['medspa/scheduling/v1/scheduling_service.proto'],
  });
  server.addService(SchedulingServiceService, {
    ...catalogueRpcs(deps),
    ...catalogueChangeRpcs(deps),
    ...appointmentRpcs(deps),
    ...queryRpcs(deps),
    ...waitlistRpcs(deps),
  });
  const port = await server.listen(overrides.listenAddress ?? `${config.GRPC_HOST}:${config.GRPC_PORT}`);
  server.markReady();
  logger.info({ port }, 'scheduling serving');

  let stopped: Promise<void> | undefined;
  return {
    port,
    address: `127.0.0.1:${port}`,
    store,
    pool,
    catchUp: () => runner.catchUp({ timeoutMs: 30_000 }),
    fireDueTimers: () => autofill.fireDue(),
    stop: () =>
      (stopped ??= (async () => {
        await server.drain({ graceMs: 5_000 });
        await autofill.stop();
        await runner.stop();
        await dayCalendars.close();
        await projectionPool.end();
        await pool.end();
        keys.close();
      })()),
  };
}
