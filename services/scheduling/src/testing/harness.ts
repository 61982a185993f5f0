import { randomUUID } from 'node:crypto';
import { createTokenVerifier, type Role } from '@medspa/auth';
import { SchedulingServiceClient } from '@medspa/contracts/medspa.scheduling.v1';
import { createPool, type Pool } from '@medspa/db';
import { createGrpcClient, type PromiseClient } from '@medspa/grpc';
import { createLogger } from '@medspa/observability';
import { createServiceDatabase, createTestIssuer, testTopicPrefix, type TestIssuer } from '@medspa/testing';
import { migrations } from '../../migrations/index.js';
import { loadSchedulingConfig } from '../config.js';
import { startService, type RunningScheduling } from '../service.js';

// An in-process scheduling service on its own database, with real tokens, for int tests. Each
// test file starts one and makes its own tenants and users.

export type SchedulingClient = PromiseClient<typeof SchedulingServiceClient.service>;

export interface Harness {
  service: RunningScheduling;
  issuer: TestIssuer;
  /** Superuser pool: sees every tenant's rows, for assertions. */
  admin: Pool;
  topicPrefix: string;
  adminUrl: string;
  /** A client calling as a fresh user of `role` in `tenantId` (of `replica` when given). */
  clientAs(
    tenantId: string,
    role: Role,
    userId?: string,
    replica?: RunningScheduling,
  ): Promise<SchedulingClient>;
  /** Another service on the same database, as a second replica: its own caches, the same log. */
  startReplica(): Promise<RunningScheduling>;
  /** Stops the service (its poller and projections too) and starts a fresh one on the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  now?: () => Date;
  /** Extra environment, e.g. WAITLIST_OFFER_HOLD_SECONDS. */
  env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createServiceDatabase('scheduling', migrations);
  const issuer = await createTestIssuer();
  const topicPrefix = testTopicPrefix();
  const config = loadSchedulingConfig({
    DATABASE_URL: db.appUrl,
    // Never fetched: the test's verifier reads the issuer's keys in process.
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '30',
    ...options.env,
  });
  const start = () =>
    startService(config, {
      verifier: createTokenVerifier(issuer.verifierOptions()),
      listenAddress: '127.0.0.1:0',
      topicPrefix,
      logger: createLogger({ service: 'scheduling-test', level: 'silent' }),
      ...(options.now ? { now: options.now } : {}),
    });
  let service = await start();
  const admin = createPool(db.adminUrl, { max: 4 });
  const clients: SchedulingClient[] = [];
  const replicas: RunningScheduling[] = [];
  return {
    get service() {
      return service;
    },
    issuer,
    admin,
    topicPrefix,
    adminUrl: db.adminUrl,
    async clientAs(tenantId, role, userId = randomUUID(), replica = service) {
      const token = await issuer.sign({ tenantId, role, userId });
      const client = createGrpcClient(SchedulingServiceClient, replica.address, {
        getToken: () => token,
        deadlineMs: 60_000,
      });
      clients.push(client);
      return client;
    },
    async startReplica() {
      const replica = await start();
      replicas.push(replica);
      return replica;
    },
    async restart() {
      await service.stop();
      service = await start();
    },
    async stop() {
      for (const c of clients) c.close();
      for (const r of replicas) await r.stop();
      await service.stop();
      await admin.end();
      await db.drop();
    },
  };
}
