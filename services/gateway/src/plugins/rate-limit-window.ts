import type { Redis } from 'ioredis';

/** One counter to charge: its Redis key, how many hits the window allows, and the window length. */
export interface WindowCharge {
  key: string;
  limit: number;
  windowMs: number;
}

/** The state of one charged counter after the hit. */
export interface WindowCount {
  count: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

// Fixed window, every counter of a request in one atomic round trip: INCR, and PEXPIRE only on the
// first hit so the window does not slide forward with each request. A key that somehow lost its
// expiry is given one again rather than counting forever.
const CHARGE_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if count == 1 or ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[i])
    ttl = tonumber(ARGV[i])
  end
  out[i] = { count, ttl }
end
return out
`;

/** Fixed-window counters in Redis. */
export interface WindowCounter {
  /** Counts one hit on every counter, atomically; the results are in the order given. */
  charge(charges: readonly WindowCharge[]): Promise<WindowCount[]>;
}

/** Fixed-window counters on `redis`, evaluated by one Lua script per request. */
export function createRedisWindowCounter(redis: Redis): WindowCounter {
  return {
    async charge(charges) {
      if (charges.length === 0) return [];
      const keys = charges.map((c) => c.key);
      const windows = charges.map((c) => String(c.windowMs));
      const raw = (await redis.eval(CHARGE_SCRIPT, keys.length, ...keys, ...windows)) as [number, number][];
      return raw.map(([count, resetMs]) => ({ count, resetMs }));
    },
  };
}

/**
 * The embedded default (one gateway, no Redis): the same counters in process memory. Expired
 * windows are swept on the way, so memory stays bounded by the clients of one window.
 */
export function createMemoryWindowCounter(now: () => number = Date.now): WindowCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = 0;
  return {
    async charge(charges) {
      const at = now();
      if (at >= nextSweep) {
        for (const [key, w] of windows) if (w.resetAt <= at) windows.delete(key);
        nextSweep = at + 10_000;
      }
      return charges.map(({ key, windowMs }) => {
        const current = windows.get(key);
        const w =
          current !== undefined && current.resetAt > at ? current : { count: 0, resetAt: at + windowMs };
        w.count += 1;
        windows.set(key, w);
        return { count: w.count, resetMs: w.resetAt - at };
      });
    },
  };
}
