import { createHash } from 'node:crypto';
import { errors, isAppError } from '@medspa/errors';
import type { Redis } from 'ioredis';
import { recentAdmitsOverRedis, type RecentAdmits } from './recent-admits.js';

/** What the guard says about a session on a request. */
export type SessionVerdict = 'active' | 'idle' | 'revoked';

/**
 * Automatic logoff at the edge (45 CFR 164.312(a)(2)(iii)): each request on a session (`sid`)
 * records its time; a request after more than `idleMs` without one is refused, and the session
 * stays refused. Logout puts the sid on a revocation list so its still-valid access token is
 * refused at once instead of living out its 15 minutes.
 */
export interface SessionGuard {
  /** Checks the session and, when active, records this request as its latest activity. */
  admit(sessionId: string): Promise<SessionVerdict>;
  /** Records activity without checking (a successful sign-in or refresh starts or extends it). */
  touch(sessionId: string): Promise<void>;
  /** Refuses the session's tokens from now on, for `ttlMs` (their remaining lifetime at most). */
  revoke(sessionId: string, ttlMs: number): Promise<void>;
}

export interface SessionGuardOptions {
  idleMs: number;
  /**
   * How long an activity record is kept. It must outlive the session (24 h absolute), or an
   * expired record would make an idle session look new again.
   */
  retainMs: number;
  now?: () => number;
  /** Key prefix (tests give each file its own). */
  prefix?: string;
}

export interface RedisSessionGuardOptions extends SessionGuardOptions {
  /**
   * A subscribed connection on which logouts are announced: with it, a session admitted in the
   * last `recentAdmitMs` (default 1 s) is admitted again without a round trip (see RecentAdmits).
   */
  subscriber?: Redis;
  recentAdmitMs?: number;
}

const seenKey = (prefix: string, sid: string) => `${prefix}session:${sid}:seen`;
const revokedKey = (prefix: string, sid: string) => `${prefix}session:${sid}:revoked`;

// One round trip, atomic: revoked? idle? else record now. An idle session is not touched, so it
// stays idle for every later request.
const ADMIT_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 'revoked' end
local last = redis.call('GET', KEYS[1])
if last and (tonumber(ARGV[1]) - tonumber(last)) > tonumber(ARGV[2]) then return 'idle' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 'active'
`;

/**
 * A Lua script called by its SHA-1 (EVALSHA), so each request sends a hash, not the script; it is
 * sent whole only when Redis does not know it (first use, after a restart or SCRIPT FLUSH).
 */
function cachedScript(redis: Redis, script: string, keys: number) {
  const sha = createHash('sha1').update(script).digest('hex');
  return async (...args: string[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys, ...args);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return redis.eval(script, keys, ...args);
    }
  };
}

// Fail closed: without the session store the edge cannot tell a logged-out session from a live
// one, so requests are refused with 503 (never a 500, never let through).
const unavailable = (e: unknown): never => {
  if (isAppError(e)) throw e;
  throw errors.unavailable('SESSION_STORE_UNAVAILABLE', 'Sessions cannot be checked right now', { cause: e });
};

/** The guard on Redis, shared by every gateway replica. */
export function createRedisSessionGuard(
  redis: Redis,
  options: RedisSessionGuardOptions,
): SessionGuard & { close(): void } {
  const prefix = options.prefix ?? 'gw:';
  const revocations = `${prefix}sessions:revoked`;
  const recent =
    options.subscriber === undefined
      ? undefined
      : recentAdmitsOverRedis(options.subscriber, {
          channel: revocations,
          windowMs: options.recentAdmitMs ?? 1_000,
        });
  const guard = redisGuard(redis, { ...options, prefix }, revocations, recent);
  return {
    admit: (sid) => guard.admit(sid).catch(unavailable),
    touch: (sid) => guard.touch(sid).catch(unavailable),
    revoke: (sid, ttlMs) => guard.revoke(sid, ttlMs).catch(unavailable),
    close: () => recent?.close(),
  };
}

function redisGuard(
  redis: Redis,
  options: SessionGuardOptions & { prefix: string },
  revocations: string,
  recent: RecentAdmits | undefined,
): SessionGuard {
  const now = options.now ?? Date.now;
  const { prefix } = options;
  const admitScript = cachedScript(redis, ADMIT_SCRIPT, 2);
  return {
    async admit(sid) {
      const at = now();
      if (recent?.has(sid, at) === true) return 'active';
      const verdict = await admitScript(
        seenKey(prefix, sid),
        revokedKey(prefix, sid),
        String(at),
        String(options.idleMs),
        String(options.retainMs),
      );
      if (verdict === 'revoked' || verdict === 'idle') return verdict;
      recent?.add(sid, at);
      return 'active';
    },
    async touch(sid) {
      await redis.set(seenKey(prefix, sid), String(now()), 'PX', options.retainMs);
    },
    async revoke(sid, ttlMs) {
      recent?.forget(sid);
      // Recorded and announced together: every replica forgets the session as it is refused.
      const results = await redis
        .multi()
        .set(revokedKey(prefix, sid), '1', 'PX', Math.max(1, Math.ceil(ttlMs)))
        .publish(revocations, sid)
        .exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (results === null || failed !== undefined) throw failed ?? new Error('Revocation was not recorded');
    },
  };
}

/** The same guard in process, for the embedded default (one gateway, no Redis). */
export function createMemorySessionGuard(options: SessionGuardOptions): SessionGuard {
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  const revoked = new Map<string, number>();
  // Sessions end within a day; sweep old records so the maps stay small.
  const sweep = (at: number) => {
    for (const [sid, t] of seen) if (at - t > options.retainMs) seen.delete(sid);
    for (const [sid, until] of revoked) if (until <= at) revoked.delete(sid);
  };
  let admitted = 0;
  return {
    async admit(sid) {
      const at = now();
      if (++admitted % 1000 === 0) sweep(at);
      const until = revoked.get(sid);
      if (until !== undefined && until > at) return 'revoked';
      const last = seen.get(sid);
      if (last !== undefined && at - last > options.idleMs) return 'idle';
      seen.set(sid, at);
      return 'active';
    },
    async touch(sid) {
      seen.set(sid, now());
    },
    async revoke(sid, ttlMs) {
      revoked.set(sid, now() + ttlMs);
    },
  };
}
