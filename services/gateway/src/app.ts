import { randomBytes, randomUUID } from 'node:crypto';
import type { TokenVerifier } from '@medspa/auth';
import { errors } from '@medspa/errors';
import type { Logger } from '@medspa/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { GatewayConfig } from './config.js';
import { registerCors } from './http/cors.js';
import { healthRoutes } from './http/health.js';
import { jwksRoutes } from './http/jwks.js';
import { registerApiDocs, registerOpenApi } from './http/openapi.js';
import { registerProblemHandler } from './http/problem-handler.js';
import { RequestLog } from './http/request-log.js';
import { registerRouteTable } from './http/routes.js';
import { responseSerializerCompiler } from './http/response-serializer.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { cachedJwks, type JwksSource } from './identity/jwks.js';
import { registerIdempotency } from './plugins/idempotency.js';
import { createMemoryIdempotencyStore, createRedisIdempotencyStore } from './plugins/idempotency-store.js';
import { byAccountInBody, byClientIp, registerRateLimits } from './plugins/rate-limit.js';
import { createMemoryWindowCounter, createRedisWindowCounter } from './plugins/rate-limit-window.js';
import { ROUTES } from './routes/index.js';
import type { Route } from './routes/route.js';
import { authenticate } from './session/authenticate.js';
import type { SessionGuard } from './session/session-guard.js';
import { createInProcessSignalBus, type SignalBus } from './signals/signal-bus.js';
import { signalsRoutes } from './signals/signals-route.js';
import type { Upstreams } from './upstream/clients.js';

/** What the REST API needs: the services, the token verifier and the session guard. */
export interface ApiDeps {
  upstream: Upstreams;
  verifier: TokenVerifier;
  sessions: SessionGuard;
  /** Defaults to the whole route table. */
  routes?: readonly Route[];
  /**
   * Shared by the rate limits and idempotency keys across replicas; without it both are kept in
   * process (one embedded gateway).
   */
  redis?: Redis;
  /** Key prefix of the plugins in Redis (tests isolate themselves with it). */
  redisPrefix?: string;
  /** Where the signal feed publishes; the /v1/signals streams subscribe. Default: in process. */
  signalBus?: SignalBus;
}

/** The edge plugins' settings (config.ts); anything left out takes the config's default. */
type PluginConfig = Pick<
  GatewayConfig,
  | 'TRUST_PROXY'
  | 'RATE_LIMIT_ENABLED'
  | 'RATE_LIMIT_PER_CLIENT'
  | 'RATE_LIMIT_WINDOW'
  | 'RATE_LIMIT_SIGN_IN_PER_IP'
  | 'RATE_LIMIT_SIGN_IN_PER_ACCOUNT'
  | 'RATE_LIMIT_MFA_PER_IP'
  | 'RATE_LIMIT_MFA_PER_CHALLENGE'
  | 'RATE_LIMIT_REFRESH_PER_IP'
  | 'RATE_LIMIT_KEY_SECRET'
  | 'IDEMPOTENCY_SEAL_KEY'
  | 'IDEMPOTENCY_TTL'
  | 'SIGNALS_HEARTBEAT'
>;

export interface GatewayDeps {
  config: Pick<GatewayConfig, 'BODY_LIMIT_BYTES' | 'JWKS_CACHE_TTL'> &
    Partial<Pick<GatewayConfig, 'REQUEST_TIMEOUT' | 'UPSTREAM_DEADLINE' | 'CORS_ORIGINS'>> &
    Partial<PluginConfig>;
  logger: Logger;
  isReady: () => boolean;
  /** Identity's key set (uncached: the app caches it for JWKS_CACHE_TTL). */
  jwks: JwksSource;
  /** The REST API; without it only health and JWKS are served (skeleton tests). */
  api?: ApiDeps;
  /** The clock of the JWKS cache (tests). */
  now?: () => number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
const MINUTE = 60_000;
const UNLIMITED = new Set(['/healthz', '/readyz', '/.well-known/jwks.json']);

/** The config's defaults (config.ts) for what a caller left out; random keys outside production. */
type ResolvedPluginConfig = { [K in keyof PluginConfig]-?: NonNullable<PluginConfig[K]> };

function pluginConfig(config: Partial<PluginConfig>): ResolvedPluginConfig {
  return {
    TRUST_PROXY: config.TRUST_PROXY ?? false,
    RATE_LIMIT_ENABLED: config.RATE_LIMIT_ENABLED ?? true,
    RATE_LIMIT_PER_CLIENT: config.RATE_LIMIT_PER_CLIENT ?? 600,
    RATE_LIMIT_WINDOW: config.RATE_LIMIT_WINDOW ?? MINUTE,
    RATE_LIMIT_SIGN_IN_PER_IP: config.RATE_LIMIT_SIGN_IN_PER_IP ?? 20,
    RATE_LIMIT_SIGN_IN_PER_ACCOUNT: config.RATE_LIMIT_SIGN_IN_PER_ACCOUNT ?? 10,
    RATE_LIMIT_MFA_PER_IP: config.RATE_LIMIT_MFA_PER_IP ?? 10,
    RATE_LIMIT_MFA_PER_CHALLENGE: config.RATE_LIMIT_MFA_PER_CHALLENGE ?? 5,
    RATE_LIMIT_REFRESH_PER_IP: config.RATE_LIMIT_REFRESH_PER_IP ?? 60,
    // config.ts requires both in production; a random key is right for one process only.
    RATE_LIMIT_KEY_SECRET: config.RATE_LIMIT_KEY_SECRET ?? randomBytes(32),
    IDEMPOTENCY_SEAL_KEY: config.IDEMPOTENCY_SEAL_KEY ?? randomBytes(32),
    IDEMPOTENCY_TTL: config.IDEMPOTENCY_TTL ?? 24 * 60 * MINUTE,
    SIGNALS_HEARTBEAT: config.SIGNALS_HEARTBEAT ?? 15_000,
  };
}

/** The per-client limit on every route and the stricter ones on sign-in, MFA and refresh. */
function registerLimits(
  app: FastifyInstance,
  redis: Redis | undefined,
  config: ResolvedPluginConfig,
  prefix: string,
): void {
  registerRateLimits(app, {
    counter: redis === undefined ? createMemoryWindowCounter() : createRedisWindowCounter(redis),
    keySecret: config.RATE_LIMIT_KEY_SECRET,
    prefix: `${prefix}rl:`,
    // Probes, and the key set the services fetch (under make run they all share one address).
    isExempt: (request) => UNLIMITED.has(request.url.split('?')[0] ?? ''),
    perClient: { limit: config.RATE_LIMIT_PER_CLIENT, windowMs: config.RATE_LIMIT_WINDOW },
    routes: [
      {
        method: 'POST',
        url: '/v1/auth/sign-in',
        limits: [
          { name: 'ip', limit: config.RATE_LIMIT_SIGN_IN_PER_IP, windowMs: 15 * MINUTE, keyOf: byClientIp },
          {
            name: 'account',
            limit: config.RATE_LIMIT_SIGN_IN_PER_ACCOUNT,
            windowMs: 15 * MINUTE,
            keyOf: byAccountInBody('tenantId', 'email'),
          },
        ],
      },
      {
        method: 'POST',
        url: '/v1/auth/mfa/verify',
        limits: [
          { name: 'ip', limit: config.RATE_LIMIT_MFA_PER_IP, windowMs: 5 * MINUTE, keyOf: byClientIp },
          // The pending sign-in: so many codes per challenge, whichever IPs send them.
          {
            name: 'challenge',
            limit: config.RATE_LIMIT_MFA_PER_CHALLENGE,
            windowMs: 5 * MINUTE,
            keyOf: byAccountInBody('challengeToken'),
          },
        ],
      },
      {
        method: 'POST',
        url: '/v1/auth/refresh',
        limits: [
          { name: 'ip', limit: config.RATE_LIMIT_REFRESH_PER_IP, windowMs: MINUTE, keyOf: byClientIp },
        ],
      },
    ],
  });
}

/**
 * Rate limits, Idempotency-Key and the signal stream (src/plugins/README.md), before the route
 * table: the limits are root hooks and must see every route registered after them.
 */
async function registerEdgePlugins(
  app: FastifyInstance,
  api: ApiDeps,
  config: ResolvedPluginConfig,
): Promise<void> {
  const redis = api.redis;
  const prefix = api.redisPrefix ?? 'medspa:gateway:';
  if (config.RATE_LIMIT_ENABLED) registerLimits(app, redis, config, prefix);
  registerIdempotency(app, {
    store: redis === undefined ? createMemoryIdempotencyStore() : createRedisIdempotencyStore(redis),
    sealKey: config.IDEMPOTENCY_SEAL_KEY,
    ttlMs: config.IDEMPOTENCY_TTL,
    prefix: `${prefix}idem:`,
    // The caller the route's own onRequest hook verified (a preHandler runs after it). Anonymous
    // requests are not deduplicated: no scope could keep one client's answer from another.
    identify: async (request) => {
      const principal = request.caller?.principal;
      return principal === undefined ? undefined : { tenantId: principal.tenantId, userId: principal.userId };
    },
  });
  const signedIn = async (request: FastifyRequest) => {
    const { principal } = await authenticate(api, { kind: 'signed-in' }, request.headers.authorization);
    if (principal === undefined) throw errors.unauthenticated('TOKEN_MISSING', 'An access token is required');
    return principal;
  };
  await app.register(
    signalsRoutes({
      bus: api.signalBus ?? createInProcessSignalBus(),
      authenticate: signedIn,
      heartbeatMs: config.SIGNALS_HEARTBEAT,
    }),
  );
}

/** The gateway's HTTP application, without listening: tests drive it with `inject`. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const requestTimeout = deps.config.REQUEST_TIMEOUT ?? 30_000;
  const plugins = pluginConfig(deps.config);
  const app = Fastify({
    // Fastify's overloads want one member of the union at a time.
    trustProxy: plugins.TRUST_PROXY as boolean,
    // pino's Logger generics differ from Fastify's base logger type; the object is the same.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new RequestLog(),
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    connectionTimeout: requestTimeout,
    requestTimeout,
    // A caller's request id is kept only when it is well-formed, so it cannot inject into logs.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  registerSecurityHeaders(app);
  registerProblemHandler(app);
  await registerCors(app, deps.config.CORS_ORIGINS ?? []);
  await app.register(healthRoutes({ isReady: deps.isReady }));
  const ttlMs = deps.config.JWKS_CACHE_TTL;
  const jwks = cachedJwks(deps.jwks, { ttlMs, ...(deps.now === undefined ? {} : { now: deps.now }) });
  await app.register(jwksRoutes({ jwks, maxAgeSeconds: Math.floor(ttlMs / 1000) }));
  if (deps.api !== undefined) {
    await registerOpenApi(app);
    await registerEdgePlugins(app, deps.api, plugins);
    registerRouteTable(app, deps.api.routes ?? ROUTES, {
      ...deps.api,
      upstreamDeadlineMs: deps.config.UPSTREAM_DEADLINE ?? 10_000,
    });
    await registerApiDocs(app);
  }
  return app;
}
