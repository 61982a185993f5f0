import { createHmac } from 'node:crypto';
import { errors } from '@medspa/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withinDeadline } from './redis-deadline.js';
import type { WindowCharge, WindowCount, WindowCounter } from './rate-limit-window.js';

/** What to do with a request when Redis cannot be asked: let it through, or refuse it (503). */
export type StoreFailureMode = 'open' | 'closed';

/** One limit on a route: `limit` hits per `windowMs` for each key `keyOf` returns. */
export interface RateLimit {
  /** Names the counter in Redis keys: `ip`, `account`. */
  name: string;
  limit: number;
  windowMs: number;
  /** Whom the hit is charged to; undefined skips this limit for the request (no account in the body). */
  keyOf: (request: FastifyRequest) => string | undefined;
}

/** Stricter limits for one route, matched by method and route pattern as registered. */
export interface RouteRateLimit {
  method: string;
  /** e.g. `/v1/auth/sign-in` (the pattern, with `:params`, not the concrete path). */
  url: string;
  limits: readonly RateLimit[];
  /** Default `closed`: a password-guessing window must not open because Redis is down. */
  onStoreFailure?: StoreFailureMode;
}

export interface RateLimitOptions {
  /** `createRedisWindowCounter(redis)`, or `createMemoryWindowCounter()` for one embedded gateway. */
  counter: WindowCounter;
  /** HMAC key (>= 32 bytes) that pseudonymizes IPs and account names in Redis key names. */
  keySecret: Buffer;
  /** The default limit every client gets on every route. */
  perClient: {
    limit: number;
    windowMs: number;
    /** Default: the client IP (set Fastify's `trustProxy` to the ingress hops, or all share one IP). */
    keyOf?: (request: FastifyRequest) => string;
    /** Default `open`: a Redis outage should not take the whole API down. */
    onStoreFailure?: StoreFailureMode;
  };
  routes?: readonly RouteRateLimit[];
  /** Default `medspa:gateway:rl:`. */
  prefix?: string;
  /** How long to wait for Redis before applying the failure mode. Default 250 ms. */
  storeTimeoutMs?: number;
  /** Requests the per-client limit ignores. Default: the health probes. */
  isExempt?: (request: FastifyRequest) => boolean;
}

/** The client IP, the default key of the per-client limit and of the IP limit on auth routes. */
export const byClientIp = (request: FastifyRequest): string => request.ip;

/**
 * The account a credential is for, read from body fields (e.g. `tenantId`, `email`) and normalized
 * (trimmed, lower case), so that many IPs guessing one account's password share one counter.
 * Undefined when a field is missing: the IP limit still applies.
 */
export const byAccountInBody =
  (...fields: string[]) =>
  (request: FastifyRequest): string | undefined => {
    const body = request.body;
    if (typeof body !== 'object' || body === null) return undefined;
    const values = fields.map((field) => (body as Record<string, unknown>)[field]);
    if (!values.every((v): v is string => typeof v === 'string' && v.trim() !== '')) return undefined;
    return values.map((v) => v.trim().toLowerCase()).join('\n');
  };

const PROBES = new Set(['/healthz', '/readyz']);

interface Charged {
  limit: number;
  count: WindowCount;
}

/**
 * Adds Redis-backed fixed-window rate limits to `app`: a per-client limit on every route (checked
 * on `onRequest`, before the body is read) and stricter per-route limits (on `preValidation`, so the
 * body's account field is available). Over the limit is 429 RATE_LIMITED with Retry-After. Call it
 * before the routes are registered.
 */
export function registerRateLimits(app: FastifyInstance, options: RateLimitOptions): void {
  if (options.keySecret.length < 32) throw new RangeError('keySecret must be at least 32 bytes');
  const counter = options.counter;
  const prefix = options.prefix ?? 'medspa:gateway:rl:';
  const timeoutMs = options.storeTimeoutMs ?? 250;
  const isExempt = options.isExempt ?? ((request) => PROBES.has(request.url.split('?')[0] ?? ''));
  const clientKeyOf = options.perClient.keyOf ?? byClientIp;
  const routes = new Map((options.routes ?? []).map((r) => [`${r.method.toUpperCase()} ${r.url}`, r]));
  // Raw IPs and e-mail addresses never reach Redis (outside the PHI boundary) or its key listings.
  const pseudonym = (value: string): string =>
    createHmac('sha256', options.keySecret).update(value).digest('base64url').slice(0, 32);

  async function charge(
    request: FastifyRequest,
    charges: (WindowCharge & { limit: number })[],
    mode: StoreFailureMode,
  ): Promise<Charged[] | undefined> {
    try {
      const counts = await withinDeadline(counter.charge(charges), timeoutMs);
      return counts.map((count, i) => ({ limit: charges[i]?.limit ?? 0, count }));
    } catch (error) {
      request.log.warn({ errorClass: (error as Error).name, mode }, 'rate limit store unavailable');
      if (mode === 'open') return undefined;
      throw errors.unavailable('RATE_LIMIT_UNAVAILABLE', 'Please retry shortly', { cause: error });
    }
  }

  function refuseIfOver(reply: FastifyReply, charged: readonly Charged[]): void {
    const over = charged.filter((c) => c.count.count > c.limit);
    if (over.length === 0) return;
    const waitMs = Math.max(...over.map((c) => c.count.resetMs));
    void reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000))));
    throw errors.rateLimited('RATE_LIMITED', 'Too many requests; retry after the given delay');
  }

  app.addHook('onRequest', async (request, reply) => {
    if (isExempt(request)) return;
    const { limit, windowMs } = options.perClient;
    const key = `${prefix}client:${pseudonym(clientKeyOf(request))}`;
    const charged = await charge(
      request,
      [{ key, limit, windowMs }],
      options.perClient.onStoreFailure ?? 'open',
    );
    const first = charged?.[0];
    if (first === undefined) return;
    void reply.header('ratelimit-limit', String(limit));
    void reply.header('ratelimit-remaining', String(Math.max(0, limit - first.count.count)));
    void reply.header('ratelimit-reset', String(Math.ceil(first.count.resetMs / 1000)));
    refuseIfOver(reply, [first]);
  });

  app.addHook('preValidation', async (request, reply) => {
    const route = routes.get(`${request.method} ${request.routeOptions.url ?? ''}`);
    if (route === undefined) return;
    const charges = route.limits.flatMap((l) => {
      const who = l.keyOf(request);
      if (who === undefined) return [];
      const key = `${prefix}route:${route.method.toUpperCase()}:${route.url}:${l.name}:${pseudonym(who)}`;
      return [{ key, limit: l.limit, windowMs: l.windowMs }];
    });
    const charged = await charge(request, charges, route.onStoreFailure ?? 'closed');
    if (charged !== undefined) refuseIfOver(reply, charged);
  });
}
