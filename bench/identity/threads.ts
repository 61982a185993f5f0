import { readdirSync, readFileSync } from 'node:fs';

// Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

/** CPU seconds so far of each thread of the processes, summed by thread name (the event loop apart). */
function threadCpuByName(pids: readonly number[]): Map<string, number> {
  const byName = new Map<string, number>();
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // Node 20 names every thread `node`: the event loop is the one whose id is the process's.
        const name =
          tid === String(pid) ? 'event loop' : text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
        byName.set(name, (byName.get(name) ?? 0) + seconds);
      } catch {
        // the thread ended in between
      }
    }
  }
  return byName;
}

/**
 * Starts measuring the CPU of a process's threads: which part of a service's CPU is its event loop,
 * and which its other threads (libuv's pool, where argon2 runs; V8's GC helpers).
 */
export function startThreadCpuMeter(pids: () => number[]): () => Record<string, number> {
  const before = threadCpuByName(pids());
  return () => {
    const used: Record<string, number> = {};
    for (const [name, seconds] of threadCpuByName(pids())) used[name] = seconds - (before.get(name) ?? 0);
    return used;
  };
}
