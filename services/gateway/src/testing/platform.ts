// The platform in one test process: identity (real sign-in, real keys), scheduling, patient-record
// and audit on their own databases, all verifying identity's tokens, and the gateway in front of
// them on real Redis. Each service is started through its own `startService`, with the fixtures
// its engineers wrote where they fit; each test file starts one platform and makes its own clinics.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { signAccessToken, type Role } from '@medspa/auth';
import { migrate, provisionService } from '@medspa/db';
import { grantOutboxRead } from '@medspa/messaging';
import { createLogger } from '@medspa/observability';
import { createServiceDatabase, redisUrl, testRedisPrefix, testTopicPrefix } from '@medspa/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { startService as startAudit } from '../../../audit/src/service.js';
import { createAuditTestDatabase } from '../../../audit/src/testing/audit-database.js';
import { createProducer } from '../../../audit/src/testing/producers.js';
import { testAuditConfig } from '../../../audit/src/testing/service-config.js';
import { ISSUER, startHarness, type IdentityHarness } from '../../../identity/src/testing/harness.js';
import { migrations as recordMigrations } from '../../../patient-record/migrations/index.js';
import { loadPatientRecordConfig } from '../../../patient-record/src/config.js';
import { startService as startRecord } from '../../../patient-record/src/service.js';
import { migrations as schedulingMigrations } from '../../../scheduling/migrations/index.js';
import { loadSchedulingConfig } from '../../../scheduling/src/config.js';
import { startService as startScheduling } from '../../../scheduling/src/service.js';
import { buildGateway } from '../app.js';
import { createSessionGuard } from '../composition.js';
import { gatewayMigrations } from '../migrations.js';
import { createRedisSignalBus } from '../signals/redis-signal-bus.js';
import { GATEWAY_SCHEMA, startSignalConsumer } from '../signals/signal-consumer.js';
import { createUpstreams } from '../upstream/clients.js';

const silent = (service: string) => createLogger({ service, level: 'silent' });

export interface Platform {
  identity: IdentityHarness;
  gateway: FastifyInstance;
  /** The gateway sessions' clock offset (idle logoff tests move it forward). */
  sessionClock: { offsetMs: number };
  redis: Redis;
  redisPrefix: string;
  /** An access token signed with identity's current key, as identity would issue it. */
  token(input: {
    tenantId: string;
    role: Role;
    userId?: string;
    sessionId?: string;
    ttlSeconds?: number;
    audience?: string;
    issuedAt?: Date;
  }): Promise<string>;
  /** Waits for every read model of scheduling and patient-record to catch up. */
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

// Same derivation as libs/testing's createServiceDatabase, so the cluster-wide roles agree.
const passwordFor = (adminUrl: string, role: string): string =>
  createHash('sha256')
    .update(`${new URL(adminUrl).host}|${role}`)
    .digest('hex')
    .slice(0, 24);

/**
 * The gateway's schema in scheduling's database (the Postgres tail reads the outbox in place, as
 * under `make run`): messaging tables only, and read access to scheduling's outbox.
 */
async function provisionGatewaySchema(adminUrl: string, producerSchema: string): Promise<string> {
  const roles = await provisionService(adminUrl, 'gateway', {
    ownerPassword: passwordFor(adminUrl, `${GATEWAY_SCHEMA}_owner`),
    appPassword: passwordFor(adminUrl, `${GATEWAY_SCHEMA}_app`),
  });
  await migrate(roles.ownerUrl, GATEWAY_SCHEMA, gatewayMigrations(GATEWAY_SCHEMA));
  await grantOutboxRead(adminUrl, producerSchema, roles.appRole);
  return roles.appUrl;
}

export interface PlatformOptions {
  audit?: boolean;
  /** Feed /v1/signals from scheduling's outbox (the Postgres tail), as the running gateway does. */
  signals?: boolean;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const identity = await startHarness();
  const cleanups: (() => Promise<void>)[] = [() => identity.close()];
  try {
    const topicPrefix = testTopicPrefix();

    const schedulingDb = await createServiceDatabase('scheduling', schedulingMigrations);
    cleanups.push(() => schedulingDb.drop());
    const scheduling = await startScheduling(
      loadSchedulingConfig({
        DATABASE_URL: schedulingDb.appUrl,
        TOKEN_ISSUER: ISSUER,
        JWKS_URL: 'http://127.0.0.1:9/jwks',
        LOG_LEVEL: 'silent',
      }),
      {
        verifier: identity.verifier(),
        listenAddress: '127.0.0.1:0',
        topicPrefix,
        logger: silent('scheduling'),
      },
    );
    cleanups.push(() => scheduling.stop());

    const recordDb = await createServiceDatabase('patient-record', recordMigrations);
    cleanups.push(() => recordDb.drop());
    const kmsDir = await mkdtemp(path.join(tmpdir(), 'gateway-record-kms-'));
    cleanups.push(() => rm(kmsDir, { recursive: true, force: true }));
    const recordConfig = loadPatientRecordConfig({
      DATABASE_URL: recordDb.appUrl,
      JWKS_URL: 'http://127.0.0.1:9/jwks',
      TOKEN_ISSUER: ISSUER,
      KMS_LOCAL_DIR: kmsDir,
      GRPC_HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    const record = await startRecord(
      { ...recordConfig, GRPC_PORT: 0 },
      { verifier: identity.verifier(), topicPrefix, logger: silent('patient-record') },
    );
    cleanups.push(() => record.stop());

    // Files that do not exercise audit leave it out (its address then answers UNAVAILABLE).
    let auditAddress = '127.0.0.1:9';
    if (options.audit !== false) {
      const auditDb = await createAuditTestDatabase();
      cleanups.push(() => auditDb.drop());
      const feed = await createProducer(auditDb.adminUrl, 'gateway-feed');
      cleanups.push(() => feed.pool.end());
      const audit = await startAudit(
        testAuditConfig({ appUrl: auditDb.appUrl, sources: ['gateway-feed'], issuer: ISSUER }),
        {
          verifier: identity.verifier(),
          address: '127.0.0.1:0',
          pollIntervalMs: 50,
          logger: silent('audit'),
        },
      );
      cleanups.push(() => audit.stop());
      auditAddress = `127.0.0.1:${audit.port}`;
    }

    const upstream = createUpstreams(
      {
        identity: `127.0.0.1:${identity.service.port}`,
        scheduling: scheduling.address,
        patientRecord: `127.0.0.1:${record.port}`,
        audit: auditAddress,
      },
      20_000,
    );
    cleanups.push(async () => upstream.close());
    const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    cleanups.push(async () => void (await redis.quit()));
    const redisPrefix = testRedisPrefix();
    const sessionClock = { offsetMs: 0 };
    const sessions = createSessionGuard({ SESSION_IDLE_TIMEOUT: 15 * 60_000 }, redis, {
      prefix: redisPrefix,
      now: () => Date.now() + sessionClock.offsetMs,
    });
    const subscriber = redis.duplicate();
    cleanups.push(async () => void (await subscriber.quit()));
    const signalBus = createRedisSignalBus({
      publisher: redis,
      subscriber,
      prefix: `${redisPrefix}signals:`,
    });
    cleanups.push(() => signalBus.close());
    if (options.signals === true) {
      const databaseUrl = await provisionGatewaySchema(schedulingDb.adminUrl, schedulingDb.schema);
      const consumer = await startSignalConsumer(
        {
          DATABASE_URL: databaseUrl,
          TRANSPORT: 'postgres-tail',
          KAFKA_SSL: false,
          SIGNAL_SOURCES: ['scheduling'],
        },
        signalBus,
        silent('gateway'),
        { topicPrefix, pollIntervalMs: 50 },
      );
      cleanups.push(() => consumer.stop());
    }
    const gateway = await buildGateway({
      config: {
        BODY_LIMIT_BYTES: 256 * 1024,
        JWKS_CACHE_TTL: 30_000,
        CORS_ORIGINS: ['https://staff.example.test'],
        // The matrix and the flows send far more than a person would from one address.
        RATE_LIMIT_PER_CLIENT: 1_000_000,
        RATE_LIMIT_SIGN_IN_PER_IP: 1_000_000,
        RATE_LIMIT_SIGN_IN_PER_ACCOUNT: 1_000_000,
        RATE_LIMIT_MFA_PER_IP: 1_000_000,
        RATE_LIMIT_MFA_PER_CHALLENGE: 1_000_000,
        RATE_LIMIT_REFRESH_PER_IP: 1_000_000,
      },
      logger: silent('gateway'),
      isReady: () => true,
      jwks: { getJwks: () => upstream.identity.getJwks({}) },
      api: { upstream, verifier: identity.verifier(), sessions, redis, redisPrefix, signalBus },
    });
    cleanups.push(() => gateway.close());

    return {
      identity,
      gateway,
      sessionClock,
      redis,
      redisPrefix,
      async token(input) {
        const { kid, privateKey } = await identity.service.keys.signingKey();
        return signAccessToken(privateKey, {
          kid,
          issuer: ISSUER,
          subject: input.userId ?? randomUUID(),
          tenantId: input.tenantId,
          role: input.role,
          sessionId: input.sessionId ?? randomUUID(),
          ...(input.ttlSeconds === undefined ? {} : { ttlSeconds: input.ttlSeconds }),
          ...(input.audience === undefined ? {} : { audience: input.audience }),
          ...(input.issuedAt === undefined ? {} : { issuedAt: input.issuedAt }),
        });
      },
      async catchUp() {
        await Promise.all([scheduling.catchUp(), record.catchUp()]);
      },
      close: () => runCleanups(cleanups),
    };
  } catch (e) {
    await runCleanups(cleanups);
    throw e;
  }
}

async function runCleanups(cleanups: (() => Promise<void>)[]): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // Keep tearing down the rest; a failed teardown must not hide the test's own result.
    }
  }
}
