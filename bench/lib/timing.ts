import { perSecond } from './stats.js';

export interface LoadOptions {
  /** Concurrent loops; each should use its own connection (a pool of at least this size). */
  concurrency: number;
  /** Run, uncounted, for this long first: connections open, plans cache, the JIT settles. */
  warmupMs: number;
  durationMs: number;
  /** One operation of loop `worker`; resolves with how many items (events) it did. */
  op: (worker: number) => Promise<number>;
  /** Called (by timer, so approximately) when the measured window opens and closes: CPU sampling. */
  onWindowStart?: () => void;
  onWindowEnd?: () => void;
}

export interface LoadResult {
  items: number;
  ops: number;
  elapsedMs: number;
  itemsPerSecond: number;
  /** Milliseconds of each operation that both started and ended inside the measured window. */
  latenciesMs: Float64Array;
}

const nowMs = (): number => performance.now();

/**
 * Runs `concurrency` loops of `op` back to back for warm-up plus a fixed duration and counts what
 * completed inside the measured window. The loops never stop between warm-up and measurement, so
 * the window sees a steady state rather than a ramp-up.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const start = nowMs();
  const windowStart = start + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  let items = 0;
  let ops = 0;
  let latencies = new Float64Array(4096);
  let samples = 0;

  async function loop(worker: number): Promise<void> {
    for (;;) {
      const began = nowMs();
      if (began >= windowEnd) return;
      const done = await options.op(worker);
      const ended = nowMs();
      if (ended < windowStart || ended > windowEnd) continue;
      // Items of an op that straddles the window start still count: it completed inside it.
      items += done;
      ops += 1;
      if (began >= windowStart) {
        if (samples === latencies.length) {
          const grown = new Float64Array(latencies.length * 2);
          grown.set(latencies);
          latencies = grown;
        }
        latencies[samples++] = ended - began;
      }
    }
  }

  let windowOpened = false;
  let windowClosed = false;
  const timers = [
    setTimeout(() => {
      windowOpened = true;
      options.onWindowStart?.();
    }, options.warmupMs),
    setTimeout(() => {
      windowClosed = true;
      options.onWindowEnd?.();
    }, options.warmupMs + options.durationMs),
  ];
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => loop(i)));
  for (const t of timers) clearTimeout(t);
  // On a busy event loop the end timer may not have fired before the loops ran out: close the
  // window now rather than leave the caller with a start sample only.
  if (windowOpened && !windowClosed) options.onWindowEnd?.();
  return {
    items,
    ops,
    elapsedMs: options.durationMs,
    itemsPerSecond: options.durationMs > 0 ? perSecond(items, options.durationMs) : 0,
    latenciesMs: latencies.subarray(0, samples),
  };
}

/** Runs `fn` and returns its result with the elapsed wall-clock milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const start = nowMs();
  const result = await fn();
  return { result, elapsedMs: nowMs() - start };
}
