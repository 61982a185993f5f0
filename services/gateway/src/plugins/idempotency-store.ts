import type { Redis } from 'ioredis';

/**
 * What a key holds: `p:<token>:<fingerprint>` while the first request runs (the token says which
 * request holds it), `d:<fingerprint>:<sealed response>` once it has answered.
 */
export type KeyState =
  | { state: 'acquired' }
  | { state: 'in_flight'; fingerprint: string }
  | { state: 'done'; fingerprint: string; sealed: string };

// Read-or-claim in one step, so two concurrent first requests cannot both run.
const BEGIN = `
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false
`;
// Only the request that holds the claim may answer it or give it back (its claim may have expired
// and been taken by a retry meanwhile).
const COMPLETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export const claimValue = (token: string, fingerprint: string): string => `p:${token}:${fingerprint}`;
export const doneValue = (fingerprint: string, sealed: string): string => `d:${fingerprint}:${sealed}`;

function parse(value: string): KeyState {
  const [kind, first = '', ...rest] = value.split(':');
  if (kind === 'd') return { state: 'done', fingerprint: first, sealed: rest.join(':') };
  return { state: 'in_flight', fingerprint: rest.join(':') };
}

/** Idempotency keys in Redis. */
export interface IdempotencyStore {
  begin(key: string, claim: string, claimTtlMs: number): Promise<KeyState>;
  complete(key: string, claim: string, done: string, ttlMs: number): Promise<boolean>;
  release(key: string, claim: string): Promise<void>;
}

/** Keys in Redis, shared by every gateway replica. */
export function createRedisIdempotencyStore(redis: Redis): IdempotencyStore {
  return {
    async begin(key, claim, claimTtlMs) {
      const existing = (await redis.eval(BEGIN, 1, key, claim, String(claimTtlMs))) as string | null;
      return existing === null ? { state: 'acquired' } : parse(existing);
    },
    async complete(key, claim, done, ttlMs) {
      return (await redis.eval(COMPLETE, 1, key, claim, done, String(ttlMs))) === 1;
    },
    async release(key, claim) {
      await redis.eval(RELEASE, 1, key, claim);
    },
  };
}

/** The embedded default (one gateway, no Redis): the same semantics in process memory. */
export function createMemoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const keys = new Map<string, { value: string; expiresAt: number }>();
  let nextSweep = 0;
  const current = (key: string): string | undefined => {
    const at = now();
    if (at >= nextSweep) {
      for (const [k, v] of keys) if (v.expiresAt <= at) keys.delete(k);
      nextSweep = at + 60_000;
    }
    const entry = keys.get(key);
    return entry !== undefined && entry.expiresAt > at ? entry.value : undefined;
  };
  return {
    async begin(key, claim, claimTtlMs) {
      const existing = current(key);
      if (existing !== undefined) return parse(existing);
      keys.set(key, { value: claim, expiresAt: now() + claimTtlMs });
      return { state: 'acquired' };
    },
    async complete(key, claim, done, ttlMs) {
      if (current(key) !== claim) return false;
      keys.set(key, { value: done, expiresAt: now() + ttlMs });
      return true;
    },
    async release(key, claim) {
      if (current(key) === claim) keys.delete(key);
    },
  };
}
