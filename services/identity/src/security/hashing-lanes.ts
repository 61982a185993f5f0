import { availableParallelism } from 'node:os';

/**
 * At most `lanes` argon2 computations at a time, the rest waiting in arrival order. Each one holds
 * 19 MiB and keeps a core busy for ~10 ms: more at once than there are cores only time-slices
 * them, and their memory then evicts each other from the CPU caches, so every hash costs more CPU
 * (20 verifies at once on 2 cores: ~9.4 ms CPU each in 2 lanes, ~10.4 ms on libuv's 4 threads).
 */
export function createHashingLanes(lanes = availableParallelism()) {
  if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError('lanes must be a positive integer');
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next(); // the lane passes straight to the next in line
  };
  return async function inLane<T>(work: () => Promise<T>): Promise<T> {
    if (running < lanes) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      release();
    }
  };
}
