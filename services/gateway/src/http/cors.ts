import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * CORS for the staff and patient web apps: only the configured origins, compared exactly. Tokens
 * travel in the Authorization header, never in cookies, so credentials stay off.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  const allowed = new Set(origins.map((o) => new URL(o).origin));
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'x-request-id',
      'traceparent',
      'idempotency-key',
      'last-event-id',
    ],
    // Browsers hide response headers not listed here: replays and rate limits must be readable.
    exposedHeaders: [
      'x-request-id',
      'retry-after',
      'content-disposition',
      'idempotent-replayed',
      'ratelimit-limit',
      'ratelimit-remaining',
      'ratelimit-reset',
    ],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
}
