import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` is the script node (or tsx) was asked to run. */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

interface Stoppable {
  stop(): Promise<void>;
}

/**
 * Starts something, prints how to reach it, and keeps it up until SIGINT/SIGTERM, then stops it and
 * exits. Used by every `tsx infra/<thing>.ts` entry point so they all behave the same under make.
 */
export async function serveUntilSignal<T extends Stoppable>(
  start: () => Promise<T>,
  describe: (started: T) => string,
): Promise<void> {
  let started: T;
  try {
    started = await start();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  console.log(describe(started));
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    started.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('stop failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
