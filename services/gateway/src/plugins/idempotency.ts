import { createHash, randomUUID } from 'node:crypto';
import { errors } from '@medspa/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { claimValue, doneValue, type IdempotencyStore } from './idempotency-store.js';
import { withinDeadline } from './redis-deadline.js';
import { createResponseSeal } from './response-seal.js';

/** Whose request it is: keys are scoped to tenant + user (+ route), never shared between callers. */
export interface IdempotencyCaller {
  tenantId: string;
  userId: string;
}

export interface IdempotencyOptions {
  /** `createRedisIdempotencyStore(redis)`, or `createMemoryIdempotencyStore()` for one embedded gateway. */
  store: IdempotencyStore;
  /** 32-byte key: stored responses are encrypted with it, request fingerprints keyed with it. */
  sealKey: Buffer;
  /**
   * The verified caller, or undefined for an anonymous request (then the key is ignored: without a
   * caller there is no scope that keeps one client's response from another).
   */
  identify: (request: FastifyRequest) => Promise<IdempotencyCaller | undefined>;
  /** How long an answer is replayed. Default 24 h. */
  ttlMs?: number;
  /** How long a crashed first request blocks its key. Default 60 s (above the 30 s request timeout). */
  inFlightTtlMs?: number;
  /** Default `POST`. */
  methods?: readonly string[];
  /** Response headers replayed with the body. Default content-type, location, etag. */
  replayHeaders?: readonly string[];
  /** Default `medspa:gateway:idem:`. */
  prefix?: string;
  /** Default 500 ms. */
  storeTimeoutMs?: number;
}

interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

interface Claim {
  key: string;
  claim: string;
  fingerprint: string;
}

// Printable ASCII without spaces, as in the IETF Idempotency-Key draft's typical UUID keys.
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Honours `Idempotency-Key` on POST: the first answer (below 500) is stored encrypted and replayed
 * to any retry with the same key, caller and route, so the effect happens once; a retry while the
 * first still runs gets 409 IDEMPOTENCY_IN_PROGRESS, the key with another body 422
 * IDEMPOTENCY_KEY_REUSED. A 5xx is not stored, so a retry runs again. Without Redis a request that
 * carries a key is refused (503): running it unprotected could repeat a payment.
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const store = options.store;
  const seal = createResponseSeal(options.sealKey);
  const ttlMs = options.ttlMs ?? DAY_MS;
  const inFlightTtlMs = options.inFlightTtlMs ?? 60_000;
  const methods = new Set((options.methods ?? ['POST']).map((m) => m.toUpperCase()));
  const replayHeaders = options.replayHeaders ?? ['content-type', 'location', 'etag'];
  const prefix = options.prefix ?? 'medspa:gateway:idem:';
  const timeoutMs = options.storeTimeoutMs ?? 500;
  const claims = new WeakMap<FastifyRequest, Claim>();

  const unavailable = (cause: unknown) =>
    errors.unavailable('IDEMPOTENCY_UNAVAILABLE', 'Please retry shortly', { cause });

  function replay(reply: FastifyReply, key: string, sealed: string): FastifyReply {
    let stored: StoredResponse;
    try {
      stored = JSON.parse(seal.open(sealed, key).toString('utf8')) as StoredResponse;
    } catch (cause) {
      // Sealed under a key since rotated: the request did run, but its answer cannot be replayed.
      throw errors.conflict(
        'IDEMPOTENCY_REPLAY_UNAVAILABLE',
        'The first answer to this key cannot be replayed',
        {
          cause,
        },
      );
    }
    return reply
      .code(stored.status)
      .headers({ ...stored.headers, 'idempotent-replayed': 'true' })
      .send(Buffer.from(stored.body, 'base64'));
  }

  app.addHook('preHandler', async (request, reply) => {
    if (!methods.has(request.method)) return;
    const given = request.headers['idempotency-key'];
    if (given === undefined) return;
    if (typeof given !== 'string' || !KEY_FORMAT.test(given)) {
      throw errors.validation('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 1-255 visible characters');
    }
    const caller = await options.identify(request);
    if (caller === undefined) return;
    const route = `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
    // Unkeyed on purpose (ids and the client's key are not PHI): after a seal-key rotation a retry
    // still finds its key and is refused, rather than running a second time.
    const scope = [caller.tenantId, caller.userId, route, given].join('\n');
    const key = prefix + createHash('sha256').update(scope).digest('base64url');
    const fingerprint = seal.digest(
      `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`,
    );
    const claim = claimValue(randomUUID(), fingerprint);
    const found = await withinDeadline(store.begin(key, claim, inFlightTtlMs), timeoutMs).catch(
      (e: unknown) => {
        throw unavailable(e);
      },
    );
    if (found.state === 'acquired') {
      claims.set(request, { key, claim, fingerprint });
      return;
    }
    if (found.fingerprint !== fingerprint) {
      throw errors.precondition(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another request',
      );
    }
    if (found.state === 'in_flight') {
      throw errors.conflict(
        'IDEMPOTENCY_IN_PROGRESS',
        'A request with this Idempotency-Key is still running',
      );
    }
    return replay(reply, key, found.sealed);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const held = claims.get(request);
    if (held === undefined) return payload;
    claims.delete(request);
    const storable =
      payload === null || payload === undefined || typeof payload === 'string' || Buffer.isBuffer(payload);
    try {
      if (reply.statusCode >= 500 || !storable) {
        await withinDeadline(store.release(held.key, held.claim), timeoutMs);
        return payload;
      }
      const headers: Record<string, string> = {};
      for (const name of replayHeaders) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      const body = payload === null || payload === undefined ? Buffer.alloc(0) : Buffer.from(payload);
      const stored: StoredResponse = { status: reply.statusCode, headers, body: body.toString('base64') };
      const sealed = seal.seal(Buffer.from(JSON.stringify(stored)), held.key);
      await withinDeadline(
        store.complete(held.key, held.claim, doneValue(held.fingerprint, sealed), ttlMs),
        timeoutMs,
      );
    } catch (error) {
      // The effect has happened: answer the caller anyway. The claim expires after inFlightTtlMs.
      request.log.warn({ errorClass: (error as Error).name }, 'idempotency answer not stored');
    }
    return payload;
  });

  // A request that ended without sending (its connection dropped before the answer) gives its
  // claim back when it ends, so a retry is not blocked until the claim expires.
  app.addHook('onResponse', async (request) => {
    const held = claims.get(request);
    if (held === undefined) return;
    claims.delete(request);
    await withinDeadline(store.release(held.key, held.claim), timeoutMs).catch(() => undefined);
  });
}
