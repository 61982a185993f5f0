import { performance } from 'node:perf_hooks';
import { percentile } from '../lib/stats.js';

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** Runs `fn` `warmup` times untimed, then `runs` times one after another, timing each (ms). */
export async function latencies(
  runs: number,
  warmup: number,
  fn: () => Promise<unknown>,
): Promise<Latencies> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    count: samples.length,
  };
}
