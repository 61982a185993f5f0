/** Exponential backoff between attempts: initial, doubling (by default), capped. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  multiplier?: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 30_000, multiplier: 2 };

/**
 * The wait after failed attempt `attempt` (1-based), with jitter in its upper half, so that
 * consumers that failed together (a database restart) do not retry in lockstep.
 */
export function backoffDelay(backoff: Backoff, attempt: number, random: () => number = Math.random): number {
  const exponential = backoff.initialMs * (backoff.multiplier ?? 2) ** Math.max(0, attempt - 1);
  const capped = Math.min(backoff.maxMs, exponential);
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** Thrown by `sleep` when its signal aborts: the caller is stopping. */
export class StoppedError extends Error {
  constructor() {
    super('Stopped');
    this.name = 'StoppedError';
  }
}

/** Waits `ms`, or rejects with StoppedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(new StoppedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new StoppedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
