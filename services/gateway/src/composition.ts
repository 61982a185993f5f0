import { ACCESS_TOKEN_TTL_SECONDS, createTokenVerifier } from '@medspa/auth';
import { Redis } from 'ioredis';
import type { ApiDeps } from './app.js';
import type { GatewayConfig } from './config.js';
import type { JwksSource } from './identity/jwks.js';
import {
  createMemorySessionGuard,
  createRedisSessionGuard,
  type SessionGuard,
} from './session/session-guard.js';
import { createRedisSignalBus } from './signals/redis-signal-bus.js';
import { createInProcessSignalBus, type SignalBus } from './signals/signal-bus.js';
import { createUpstreams } from './upstream/clients.js';

/** A session lives 24 hours at most; activity records must outlive it (see SessionGuardOptions). */
const SESSION_RETAIN_MS = 24 * 60 * 60 * 1000 + ACCESS_TOKEN_TTL_SECONDS * 1000;

export interface GatewayWiring {
  jwks: JwksSource;
  api: ApiDeps;
  /** The Redis connection, when REDIS_URL is set (the plugins share it). */
  redis: Redis | undefined;
  /** Fed by the signal consumer, read by the /v1/signals streams (Redis pub/sub across replicas). */
  signalBus: SignalBus;
  close(): Promise<void>;
}

/** The session guard on Redis when REDIS_URL is set, else in process (embedded, one gateway). */
export function createSessionGuard(
  config: Pick<GatewayConfig, 'SESSION_IDLE_TIMEOUT'>,
  redis: Redis | undefined,
  options: { now?: () => number; prefix?: string; subscriber?: Redis | undefined } = {},
): SessionGuard {
  const { subscriber, ...rest } = options;
  const guardOptions = { idleMs: config.SESSION_IDLE_TIMEOUT, retainMs: SESSION_RETAIN_MS, ...rest };
  return redis === undefined
    ? createMemorySessionGuard(guardOptions)
    : createRedisSessionGuard(redis, {
        ...guardOptions,
        ...(subscriber === undefined ? {} : { subscriber }),
      });
}

/** The gateway's outbound wiring from config: service clients, token verifier, sessions, Redis. */
export function createGatewayDeps(config: GatewayConfig): GatewayWiring {
  const upstream = createUpstreams(
    {
      identity: config.IDENTITY_GRPC_ADDR,
      scheduling: config.SCHEDULING_GRPC_ADDR,
      patientRecord: config.PATIENT_RECORD_GRPC_ADDR,
      audit: config.AUDIT_GRPC_ADDR,
    },
    config.UPSTREAM_DEADLINE,
  );
  // GetJwks is public: the upstream client sends no token outside a request.
  const jwks: JwksSource = { getJwks: () => upstream.identity.getJwks({}) };
  const verifier = createTokenVerifier({
    issuer: config.TOKEN_ISSUER,
    getJwks: async () => ({ keys: (await jwks.getJwks()).keys.map((k) => ({ ...k })) }),
  });
  const redis =
    config.REDIS_URL === undefined
      ? undefined
      : new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, commandTimeout: 1_000 });
  // A subscribed Redis connection can do nothing else: the bus and the logout announcements share one.
  const subscriber = redis?.duplicate();
  const sessions = createSessionGuard(config, redis, { subscriber });
  const signalBus =
    redis === undefined || subscriber === undefined
      ? createInProcessSignalBus()
      : createRedisSignalBus({ publisher: redis, subscriber });
  return {
    jwks,
    api: { upstream, verifier, sessions, ...(redis === undefined ? {} : { redis }), signalBus },
    redis,
    signalBus,
    async close() {
      upstream.close();
      await signalBus.close();
      await subscriber?.quit();
      await redis?.quit();
    },
  };
}
