import type { Checkpointer } from './checkpointer.js';

export interface CheckpointScheduleOptions {
  /** T: every chain with unsigned entries is signed at least this often. */
  everyMs: number;
  onError: (error: unknown) => void;
}

/**
 * Runs `sweep` every T. Together with `afterAppend` (every N entries) an entry waits for its
 * signature at most about T plus one sweep's duration, and less when N entries come sooner.
 * Returns a stop function that waits for a running sweep.
 */
export function startCheckpointSchedule(
  checkpointer: Checkpointer,
  options: CheckpointScheduleOptions,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    // A slow sweep (a KMS outage) must not pile up: a tick that finds one running is skipped.
    if (running !== undefined) return;
    running = checkpointer
      .sweep()
      .then(() => undefined, options.onError)
      .finally(() => (running = undefined));
  }, options.everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
