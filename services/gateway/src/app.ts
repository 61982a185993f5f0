import { randomUUID } from 'node:crypto';
import type { Logger } from '@medspa/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { GatewayConfig } from './config.js';
import { healthRoutes } from './http/health.js';
import { registerProblemHandler } from './http/problem-handler.js';
import { RequestLog } from './http/request-log.js';
import { registerSecurityHeaders } from './http/security-headers.js';

export interface GatewayDeps {
  config: Pick<GatewayConfig, 'BODY_LIMIT_BYTES'>;
  logger: Logger;
  isReady: () => boolean;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The gateway's HTTP application, without listening: tests drive it with `inject`. */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger generics differ from Fastify's base logger type; the object is the same.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new RequestLog(),
    bodyLimit: deps.config.BODY_LIMIT_BYTES,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
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
  await app.register(healthRoutes({ isReady: deps.isReady }));
  return app;
}
