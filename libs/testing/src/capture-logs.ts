import type { Canaries, CanaryHit } from './canary.js';
import { findCanariesInText } from './canary.js';

export interface CaptureLogsOptions {
  /** Also capture process.stdout / process.stderr writes (console output). Default true. */
  stdio?: boolean;
  /** Still print what is captured. Default false, so canary PHI does not end up in CI logs either. */
  passThrough?: boolean;
}

export interface LogCapture {
  /** Give this to pino as its destination: `pino(options, capture.destination)`. */
  destination: { write(chunk: string | Uint8Array): boolean };
  /** Everything captured so far. */
  text: () => string;
  /** Canaries present in what was captured. */
  findCanaries: (canaries: Canaries) => CanaryHit[];
  /** Puts process.stdout / process.stderr back. */
  stop: () => void;
}

type Write = typeof process.stdout.write;

/**
 * Captures log output in memory. pino writes to its destination with its own file-descriptor writer,
 * not process.stdout.write, so a service under test must be built with `destination` for its logs to
 * be seen; patching stdio only catches console output and direct writes.
 */
export function captureLogs(options: CaptureLogsOptions = {}): LogCapture {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array): void => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  };
  const restorers: Array<() => void> = [];
  if (options.stdio ?? true) {
    for (const stream of [process.stdout, process.stderr]) {
      // Restored exactly as found: an own `write` (another patcher's) or the prototype's.
      const ownWrite = Object.getOwnPropertyDescriptor(stream, 'write');
      const writeThrough = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      stream.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        record(chunk);
        if (options.passThrough === true) return writeThrough(chunk, ...rest);
        // Honour the write callback so callers waiting on it are not stuck.
        const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
        if (callback !== undefined) queueMicrotask(callback);
        return true;
      };
      restorers.push(() => {
        if (ownWrite === undefined) delete (stream as { write?: Write }).write;
        else Object.defineProperty(stream, 'write', ownWrite);
      });
    }
  }
  return {
    destination: {
      write: (chunk) => {
        record(chunk);
        return true;
      },
    },
    text: () => chunks.join(''),
    findCanaries: (canaries) => findCanariesInText(chunks.join(''), canaries, 'logs'),
    stop: () => {
      for (const restore of restorers.splice(0)) restore();
    },
  };
}
