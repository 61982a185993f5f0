import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

// Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by the given processes (those that exist); e.g. a pool's backends. */
export function processesCpuSeconds(pids: Iterable<number>): number {
  let total = 0;
  for (const pid of pids) total += readStat(pid)?.cpuSeconds ?? 0;
  return total;
}

/** This process's CPU seconds (user + system) so far. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/**
 * Pids of this process's descendants whose command name is `name` (`java`: the Kafka broker), or
 * whose command line matches `name` when it is a pattern (`/services\/gateway\//`: one service).
 */
export function descendantPids(name: string | RegExp, rootPid = process.pid): number[] {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
  const parents = new Map<number, number>();
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat !== undefined) parents.set(pid, stat.ppid);
  }
  const descends = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === rootPid) return true;
    return false;
  };
  return pids.filter(
    (pid) =>
      descends(pid) && (typeof name === 'string' ? commandName(pid) === name : name.test(commandLine(pid))),
  );
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function commandName(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** CPU seconds per group: `node` (this process) and each named group of server processes. */
export type CpuUse = Record<string, number>;

/**
 * Starts measuring the CPU used by this process and by groups of server processes (a pool's
 * Postgres backends, the Kafka JVM); the returned function gives the seconds each used since. On a
 * shared machine this says what a figure cost, which the wall clock alone does not. A process that
 * exits in between takes its share with it, so measure processes that outlive the interval.
 */
export function startCpuMeter(groups: Record<string, () => number[]> = {}): () => CpuUse {
  const sample = (): Map<string, Map<number, number>> =>
    new Map(
      Object.entries(groups).map(([group, pids]) => [
        group,
        new Map(
          pids().flatMap((pid) => {
            const stat = readStat(pid);
            return stat === undefined ? [] : [[pid, stat.cpuSeconds] as const];
          }),
        ),
      ]),
    );
  const node = ownCpuSeconds();
  const before = sample();
  return () => {
    const used: CpuUse = { node: ownCpuSeconds() - node };
    for (const [group, after] of sample()) {
      let total = 0;
      // A process that started in between counts from zero; one that exited is not in `after`.
      for (const [pid, cpu] of after) total += cpu - (before.get(group)?.get(pid) ?? 0);
      used[group] = total;
    }
    return used;
  };
}

/** CPU microseconds per item and group, rounded, for a figure's params. */
export const microsPerItem = (cpu: CpuUse, items: number): Record<string, number> =>
  Object.fromEntries(
    Object.entries(cpu).map(([group, seconds]) => [group, Math.round((seconds / items) * 1e6)]),
  );

/** Records the backend pid of every connection a pg pool opens, for CPU accounting. */
export function trackBackends(pool: pg.Pool): () => number[] {
  const pids = new Set<number>();
  pool.on('connect', (client) => {
    // Not in @types/pg: the BackendKeyData pid, which pg also uses to cancel queries.
    const pid = (client as unknown as { processID: number | null }).processID;
    if (pid !== null) pids.add(pid);
  });
  return () => [...pids];
}
