import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface HealthDeps {
  /** True once the gateway's own dependencies are ready; false while draining. */
  isReady: () => boolean;
}

const HealthStatus = z.object({ status: z.enum(['ok', 'unavailable']) });

/** Liveness (`/healthz`, the process answers) and readiness (`/readyz`, it should get traffic). */
export const healthRoutes =
  (deps: HealthDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get('/healthz', { schema: { hide: true, response: { 200: HealthStatus } } }, async () => ({
      status: 'ok' as const,
    }));
    app.get(
      '/readyz',
      { schema: { hide: true, response: { 200: HealthStatus, 503: HealthStatus } } },
      async (_request, reply) =>
        deps.isReady() ? { status: 'ok' as const } : reply.status(503).send({ status: 'unavailable' }),
    );
  };
