import type { Principal } from '@medspa/auth';
import { errors } from '@medspa/errors';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { withinDeadline } from '../plugins/redis-deadline.js';
import { mayReceive, type SignalPermissionOf } from './signal-access.js';
import type { TenantSignal } from './signal.js';
import type { SignalBus } from './signal-bus.js';

export interface SignalsRouteOptions {
  bus: SignalBus;
  /** The verified caller; throws an AppError (`unauthenticated`) for a missing or bad token. */
  authenticate: (request: FastifyRequest) => Promise<Principal>;
  /** Default `defaultSignalPermission`. */
  permissionOf?: SignalPermissionOf;
  /** Comment lines that keep proxies from closing an idle stream. Default 15 s. */
  heartbeatMs?: number;
  /**
   * The stream is closed after this long so the client reconnects with a fresh token; a revoked or
   * expired session stops receiving within it. Default 15 min (the access-token lifetime).
   */
  maxStreamMs?: number;
  /** How long to wait for the bus (Redis) before answering 503. Default 2 s. */
  subscribeTimeoutMs?: number;
}

/**
 * `GET /v1/signals`: a Server-Sent Events stream of `{type, id}` for the caller's tenant, filtered
 * by its permissions. Nothing else is ever written: clients re-read what changed through the API,
 * where every PHI read is authorized and audited.
 */
export const signalsRoutes =
  (options: SignalsRouteOptions): FastifyPluginAsync =>
  async (app) => {
    const heartbeatMs = options.heartbeatMs ?? 15_000;
    const maxStreamMs = options.maxStreamMs ?? 15 * 60_000;
    const subscribeTimeoutMs = options.subscribeTimeoutMs ?? 2_000;
    const streams = new Set<{ end: () => void }>();
    // Open streams would keep the server from closing: end them so clients reconnect elsewhere.
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.end();
    });

    app.get('/v1/signals', { schema: { hide: true } }, async (request, reply) => {
      const principal = await options.authenticate(request);
      let open = false;
      const send = (signal: TenantSignal): void => {
        if (!open || !mayReceive(principal, signal, options.permissionOf)) return;
        reply.raw.write(`data: ${JSON.stringify({ type: signal.type, id: signal.id })}\n\n`);
      };
      const subscribing = options.bus.subscribe(principal.tenantId, send);
      const unsubscribe = await withinDeadline(subscribing, subscribeTimeoutMs).catch((e: unknown) => {
        // A subscription that completes after the deadline is dropped at once.
        subscribing
          .then(
            (late) => late(),
            () => undefined,
          )
          .catch(() => undefined);
        throw errors.unavailable('SIGNALS_UNAVAILABLE', 'Signals are unavailable; retry shortly', {
          cause: e,
        });
      });

      // From here on Fastify's reply (and its onSend hooks) is bypassed: the stream is written by hand,
      // with the headers hooks already set (CORS, rate limit) and those of the security headers that apply.
      void reply.hijack();
      reply.raw.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
        // A stream's connection is never reused: closing it with the stream lets shutdown finish.
        connection: 'close',
        'x-request-id': request.id,
      });
      reply.raw.write('retry: 5000\n\n');
      open = true;

      const heartbeat = setInterval(() => reply.raw.write(': heartbeat\n\n'), heartbeatMs);
      const expiry = setTimeout(() => reply.raw.end(), maxStreamMs);
      const stream = { end: () => reply.raw.end() };
      streams.add(stream);
      reply.raw.once('close', () => {
        open = false;
        streams.delete(stream);
        clearInterval(heartbeat);
        clearTimeout(expiry);
        unsubscribe().catch((error: unknown) => {
          request.log.warn({ errorClass: (error as Error).name }, 'signal unsubscribe failed');
        });
      });
    });
  };
