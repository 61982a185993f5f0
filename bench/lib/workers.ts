import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.js';

/**
 * Child processes for contenders that must not share a process: Emmett's driver (dumbo) rewrites
 * pg's global type parsers (int8 → BigInt, its own JSON parser), which would change what our store
 * reads, and each contender deserves its own event loop, heap and JIT state anyway.
 */
export interface Worker {
  call<T>(method: string, payload?: unknown): Promise<T>;
  /** Asks the worker to close its resources and exit; kills it if it does not within 10 s. */
  stop(): Promise<void>;
}

interface Request {
  id: number;
  method: string;
  payload: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/**
 * Forks `module` (run through the same tsx loader as this process). Its stdout goes to our stderr,
 * so only the parent prints figures. BENCH_CPU_PROF=<dir> makes each worker write V8 CPU profiles
 * into `<dir>/<name>/` (the largest file is the main thread's).
 */
export function startWorker(module: URL, name: string): Worker {
  const profileDir = process.env.BENCH_CPU_PROF;
  const child: ChildProcess = fork(fileURLToPath(module), [name], {
    execArgv: [
      ...process.execArgv,
      // A folder per worker: Node writes one profile per thread (tsx's loader has a thread of its own).
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : []),
    ],
    stdio: ['ignore', 2, 2, 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`worker ${name} exited (${signal ?? code})`));
      pending.clear();
      resolve();
    }),
  );
  child.on('message', (message: Reply) => {
    const p = pending.get(message.id);
    if (p === undefined) return;
    pending.delete(message.id);
    if (message.ok) p.resolve(message.result);
    else p.reject(new Error(`worker ${name}: ${message.error}`));
  });
  const unregister = onCleanup(() => {
    if (!exited) child.kill('SIGKILL');
  });

  function call<T>(method: string, payload?: unknown): Promise<T> {
    if (exited) return Promise.reject(new Error(`worker ${name} has exited`));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, method, payload } satisfies Request);
    });
  }

  return {
    call,
    async stop() {
      if (!exited) {
        await call('stop').catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      unregister();
    },
  };
}

type Handlers = Record<string, (payload: never) => Promise<unknown>>;

/**
 * The child side: answers the parent's calls with `handlers`. `stop` runs the `close` handler (if
 * any) and exits; losing the parent (Ctrl-C, crash) exits at once.
 */
export function serveWorker(handlers: Handlers & { close?: () => Promise<void> }): void {
  process.on('disconnect', () => process.exit(0));
  // The parent handles Ctrl-C and stops us; exiting on the terminal's SIGINT ourselves would race it.
  process.on('SIGINT', () => undefined);
  process.on('message', (request: Request) => {
    void (async () => {
      try {
        if (request.method === 'stop') {
          await handlers.close?.();
          process.send?.({ id: request.id, ok: true, result: null } satisfies Reply, () => process.exit(0));
          return;
        }
        const handler = handlers[request.method];
        if (handler === undefined) throw new Error(`no method ${request.method}`);
        const result = await handler(request.payload as never);
        process.send?.({ id: request.id, ok: true, result } satisfies Reply);
      } catch (e) {
        const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
        process.send?.({ id: request.id, ok: false, error } satisfies Reply);
      }
    })();
  });
}
