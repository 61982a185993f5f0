import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** True when `command` is an executable somewhere on PATH. */
export function isOnPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Spawns a server whose stdout and stderr go to `logFile` (appended, so restarts keep history). If this
 * process exits without stopping it (a crash, process.exit), the child is killed rather than orphaned.
 */
export function spawnServer(command: string, args: string[], logFile: string): ChildProcess {
  const logFd = openSync(logFile, 'a');
  const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const orphan of running) orphan.kill('SIGKILL');
    });
  }
  return child;
}

const scratchDirs = new Set<string>();
let scratchHookInstalled = false;

/**
 * Deletes `dir` if this process exits before the returned function is called (Ctrl-C during a test
 * run's set-up, a crash), so interrupted runs do not pile up data in the temp directory.
 */
export function removeOnExit(dir: string): () => void {
  if (!scratchHookInstalled) {
    scratchHookInstalled = true;
    process.once('exit', () => {
      for (const scratch of scratchDirs) {
        try {
          rmSync(scratch, { recursive: true, force: true });
        } catch {
          // A server that is still exiting may be writing into it; leaving it is harmless.
        }
      }
    });
  }
  scratchDirs.add(dir);
  return () => scratchDirs.delete(dir);
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Asks a server to shut down (SIGTERM) and kills it if it has not exited after `graceMs`. */
export async function stopServer(child: ChildProcess, graceMs = 30_000): Promise<void> {
  if (hasExited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 5_000);
}

/** The last `lines` lines of a log file, for error messages. */
export function tailOf(logFile: string, lines = 30): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Runs a command to completion; resolves with its combined output, rejects with it on failure. */
export function runToCompletion(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}

/** The major version of the `java` on PATH, or undefined when there is none. */
export function javaMajorVersion(): number | undefined {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error !== undefined) return undefined;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.stderr);
  if (match?.[1] === undefined) return undefined;
  // Java 8 and earlier report "1.8.0_x".
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}
