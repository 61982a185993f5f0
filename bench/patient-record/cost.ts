import pg from 'pg';
import { log } from '../lib/emit.js';
import { microsPerItem, startCpuMeter, trackBackends } from '../lib/proc-cpu.js';

/**
 * What operations cost besides the wall clock (which on the shared machine mostly says how busy
 * the others were): CPU microseconds per operation in this process and in the pools' Postgres
 * backends, and the statements the pools' connections sent per operation (node-postgres sends
 * one statement per round trip).
 */
export function costMeter(pools: pg.Pool[]) {
  const backends = pools.map(trackBackends);
  const measured = new WeakSet<object>();
  for (const pool of pools) pool.on('connect', (client) => measured.add(client));
  let statements = 0;
  // BENCH_TRACE_STATEMENTS=1 also logs which statements an operation sent (their first words).
  const trace = process.env.BENCH_TRACE_STATEMENTS === '1' ? new Map<string, number>() : undefined;
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const query = Object.getOwnPropertyDescriptor(pg.Client.prototype, 'query')?.value as Query;
  // Counting only: every call goes on to the real query.
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    if (!measured.has(this)) return query.apply(this, args);
    statements += 1;
    if (trace !== undefined) {
      const first = args[0] as string | { text?: string };
      const text = (typeof first === 'string' ? first : (first.text ?? '')).replace(/\s+/g, ' ').slice(0, 90);
      trace.set(text, (trace.get(text) ?? 0) + 1);
    }
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  return {
    /** Starts counting; the returned function gives the cost per operation of `ops` operations. */
    start() {
      const cpu = startCpuMeter({ postgres: () => backends.flatMap((b) => b()) });
      const before = statements;
      trace?.clear();
      return (ops: number) => {
        for (const [text, n] of [...(trace ?? [])].sort((a, b) => b[1] - a[1]))
          log(`  ${(n / ops).toFixed(2)} per op: ${text}`);
        return {
          cpuUsPerOp: microsPerItem(cpu(), ops),
          statementsPerOp: Math.round(((statements - before) / ops) * 10) / 10,
        };
      };
    },
    stop() {
      pg.Client.prototype.query = query as typeof pg.Client.prototype.query;
    },
  };
}
