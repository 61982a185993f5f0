import type { DrainOptions, DrainResult, GrpcServer } from './server.js';

export interface ShutdownOptions extends DrainOptions {
  /** Default SIGTERM (Kubernetes) and SIGINT (Ctrl-C under `make run`). */
  signals?: readonly NodeJS.Signals[];
  /** Runs after the drain: close pools and consumers, flush logs, then exit. */
  onDrained?: (result: DrainResult) => Promise<void> | void;
}

/**
 * Drains the server on SIGTERM: health NOT_SERVING, stop accepting, wait for in-flight calls,
 * force after the grace period, then `onDrained`. Keep `graceMs + delayMs` below the pod's
 * terminationGracePeriodSeconds. Returns a function that removes the handlers.
 */
export function drainOnSignals(server: GrpcServer, options: ShutdownOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const { onDrained, ...drainOptions } = options;
  let started = false;
  const handler = () => {
    if (started) return; // a second signal must not run onDrained twice
    started = true;
    // drain() never rejects; if onDrained does, the unhandled rejection ends the process with an
    // error, which is the honest outcome of a shutdown that failed to clean up.
    void server.drain(drainOptions).then((result) => onDrained?.(result));
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.removeListener(signal, handler);
  };
}
