import type { Redis } from 'ioredis';

/**
 * The sessions this replica admitted within the last `windowMs`: a request on one of them is
 * admitted again without a Redis round trip (its activity was recorded at most `windowMs` ago,
 * far inside the 15-minute idle limit). A logout on any replica announces the session on
 * `channel`, and every replica forgets it at once. While the announcements cannot be heard (the
 * subscriber is down or re-subscribing) nothing is remembered, so every request goes to Redis.
 */
export interface RecentAdmits {
  has(sid: string, at: number): boolean;
  add(sid: string, at: number): void;
  forget(sid: string): void;
  close(): void;
}

export function recentAdmitsOverRedis(
  subscriber: Redis,
  options: { channel: string; windowMs: number; maxEntries?: number },
): RecentAdmits {
  const { channel, windowMs } = options;
  const maxEntries = options.maxEntries ?? 100_000;
  const admitted = new Map<string, number>();
  let live = false;
  let connection = 0; // bumped when the subscriber goes down: a subscribe under way is then void

  const down = (): void => {
    connection++;
    live = false;
    admitted.clear();
  };
  const up = async (): Promise<void> => {
    const current = connection;
    try {
      await subscriber.subscribe(channel);
    } catch {
      return down();
    }
    if (current === connection && subscriber.status === 'ready') {
      admitted.clear(); // announcements made while nobody listened are lost
      live = true;
    }
  };
  const onMessage = (from: string, sid: string): void => {
    if (from === channel) admitted.delete(sid);
  };
  const onReady = (): void => void up();
  subscriber.on('message', onMessage);
  for (const event of ['close', 'end', 'reconnecting', 'error'] as const) subscriber.on(event, down);
  subscriber.on('ready', onReady);
  if (subscriber.status === 'ready') void up();

  return {
    has(sid, at) {
      if (!live) return false;
      const last = admitted.get(sid);
      return last !== undefined && at >= last && at - last < windowMs;
    },
    add(sid, at) {
      if (!live) return;
      if (admitted.size >= maxEntries) admitted.clear();
      admitted.set(sid, at);
    },
    forget(sid) {
      admitted.delete(sid);
    },
    close() {
      down();
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
      for (const event of ['close', 'end', 'reconnecting', 'error'] as const) subscriber.off(event, down);
    },
  };
}
