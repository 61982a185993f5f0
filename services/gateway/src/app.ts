import { randomUUID } from 'node:crypto';
import type { TokenVerifier } from '@medspa/auth';
import type { Logger } from '@medspa/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { GatewayConfig } from './config.js';
import { registerCors } from './http/cors.js';
import { healthRoutes } from './http/health.js';
import { jwksRoutes } from './http/jwks.js';
import { registerApiDocs, registerOpenApi } from './http/openapi.js';
import { registerProblemHandler } from './http/problem-handler.js';
import { RequestLog } from './http/request-log.js';
import { registerRouteTable } from './http/routes.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { cachedJwks, type JwksSource } from './identity/jwks.js';
import { ROUTES } from './routes/index.js';
import type { Route } from './routes/route.js';
import type { SessionGuard } from './session/session-guard.js';
import type { Upstreams } from './upstream/clients.js';

/** What the REST API needs: the services, the token verifier and the session guard. */
export interface ApiDeps {
  upstream: Upstreams;
  verifier: TokenVerifier;
  sessions: SessionGuard;
  /** Defaults to the whole route table. */
  routes?: readonly Route[];
}

export interface GatewayDeps {
  config: Pick<GatewayConfig, 'BODY_LIMIT_BYTES' | 'JWKS_CACHE_TTL'> &
    Partial<Pick<GatewayConfig, 'REQUEST_TIMEOUT' | 'UPSTREAM_DEADLINE' | 'CORS_ORIGINS'>>;
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

/** The gateway's HTTP application, without listening: tests drive it with `inject`. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const requestTimeout = deps.config.REQUEST_TIMEOUT ?? 30_000;
  const app = Fastify({
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
  app.setSerializerCompiler(serializerCompiler);
  registerSecurityHeaders(app);
  registerProblemHandler(app);
  await registerCors(app, deps.config.CORS_ORIGINS ?? []);
  await app.register(healthRoutes({ isReady: deps.isReady }));
  const ttlMs = deps.config.JWKS_CACHE_TTL;
  const jwks = cachedJwks(deps.jwks, { ttlMs, ...(deps.now === undefined ? {} : { now: deps.now }) });
  await app.register(jwksRoutes({ jwks, maxAgeSeconds: Math.floor(ttlMs / 1000) }));
  if (deps.api !== undefined) {
    await registerOpenApi(app);
    registerRouteTable(app, deps.api.routes ?? ROUTES, {
      ...deps.api,
      upstreamDeadlineMs: deps.config.UPSTREAM_DEADLINE ?? 10_000,
    });
    await registerApiDocs(app);
  }
  return app;
}
