import type { EventStore, NewsProbe } from '@medspa/eventstore';
import type { Logger } from '@medspa/observability';
import { sleep } from './sleep.js';

export interface NewsWatch {
  /**
   * Resolves once the log holds committed events of `streamTypes` past `after` (asked for every
   * waiting projection in one statement, every `intervalMs`), after `maxWaitMs` at the latest, or
   * at once when `signal` aborts. Never rejects: a failed probe just lets the waiters read.
   */
  wait(probe: NewsProbe, maxWaitMs: number, signal: AbortSignal): Promise<void>;
  /** Probes at once and at the busy pace again (someone waits for the projections: catchUp). */
  hurry(): void;
}

interface Waiter {
  probe: NewsProbe;
  wake: () => void;
}

/**
 * The idle side of a runner's projections: instead of each reading the log every few milliseconds
 * (a checkpoint read and a gap-safe read each, so 2 × N statements per interval), one probe per
 * interval asks for all of them and wakes only those with something to read.
 */
export function createNewsWatch(options: {
  store: Pick<EventStore, 'probeNews'>;
  intervalMs: number;
  /**
   * After this long without news (default 10 s) the probe runs every `quietIntervalMs` (default
   * 8 × `intervalMs`) until news comes: a quiet clinic's services probe a few times a second
   * instead of 50 (each probe is a round trip, ~3 % of a core per service at 20 ms). The first
   * event after a quiet spell waits that much longer; a busy projection polls on its own anyway.
   */
  quietAfterMs?: number;
  quietIntervalMs?: number;
  logger: Logger;
}): NewsWatch {
  const waiters = new Set<Waiter>();
  const quietAfterMs = options.quietAfterMs ?? 10_000;
  const quietIntervalMs = Math.max(options.intervalMs, options.quietIntervalMs ?? 8 * options.intervalMs);
  let lastNewsAt = Date.now();
  let hurried = new AbortController();
  let probing: Promise<void> | undefined;

  async function probeWhileWaited(): Promise<void> {
    while (waiters.size > 0) {
      const quiet = Date.now() - lastNewsAt > quietAfterMs;
      await sleep(quiet ? quietIntervalMs : options.intervalMs, hurried.signal);
      if (hurried.signal.aborted) hurried = new AbortController();
      const current = [...waiters];
      if (current.length === 0) break;
      try {
        const news = await options.store.probeNews(current.map((w) => w.probe));
        current.forEach((w, i) => {
          if (news[i] === true) w.wake();
        });
        if (news.includes(true)) lastNewsAt = Date.now();
      } catch (e) {
        options.logger.warn({ err: e instanceof Error ? e.name : 'unknown' }, 'projection news probe failed');
        for (const w of current) w.wake();
      }
    }
    probing = undefined;
  }

  return {
    hurry() {
      lastNewsAt = Date.now();
      hurried.abort();
    },
    wait(probe, maxWaitMs, signal) {
      if (signal.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const waiter: Waiter = { probe, wake: () => done() };
        const timer = setTimeout(() => done(), maxWaitMs);
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          waiters.delete(waiter);
          resolve();
        }
        signal.addEventListener('abort', done, { once: true });
        waiters.add(waiter);
        probing ??= probeWhileWaited();
      });
    },
  };
}
