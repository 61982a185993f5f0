import { log } from './emit.js';

type Cleanup = () => Promise<void> | void;

// Last registered runs first: Kafka and workers stop before the Postgres they use, dirs go last.
const cleanups: Cleanup[] = [];
let signalsHandled = false;
let running: Promise<void> | undefined;

/** Registers something to stop or delete when the run ends, normally or by Ctrl-C / SIGTERM. */
export function onCleanup(fn: Cleanup): () => void {
  installSignalHandlers();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered cleanup once, newest first; a failing one does not stop the others. */
export function runCleanups(): Promise<void> {
  running ??= (async () => {
    while (cleanups.length > 0) {
      const fn = cleanups.pop()!;
      try {
        await fn();
      } catch (e) {
        log(`cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })();
  const done = running;
  return done.finally(() => {
    if (running === done) running = undefined;
  });
}

function installSignalHandlers(): void {
  if (signalsHandled) return;
  signalsHandled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping what the benchmark started`);
      // A second Ctrl-C while cleaning up ends the process at once (infra's exit hooks still fire).
      process.once(signal, () => process.exit(code));
      void runCleanups().finally(() => process.exit(code));
    });
  }
}
