/**
 * Pure helpers for turning raw samples into the figures a benchmark prints. No I/O here, so the
 * unit tier covers them.
 */

/**
 * The p-th percentile (0..100) of `values`, linearly interpolated between the closest ranks (R-7,
 * numpy's default).
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be within 0..100, got ${p}`);
  const sorted = Float64Array.from(values).sort();
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  return low + (sorted[upper]! - low) * (rank - lower);
}

/** `value / baseline` rounded to 3 decimals; undefined when the baseline cannot divide (0, NaN, ∞). */
export function ratio(value: number, baseline: number): number | undefined {
  if (!Number.isFinite(value) || !Number.isFinite(baseline) || baseline <= 0) return undefined;
  return roundTo(value / baseline, 3);
}

/**
 * Rounds to `digits` significant digits (throughputs of 12,345.678 events/s print as 12,346 with
 * the default of 5), so the JSON lines do not pretend to a precision a shared 2-core machine lacks.
 */
export function roundSignificant(value: number, digits = 5): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}

/** Rounds to a fixed number of decimals. */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** A rate per second from a count and elapsed milliseconds. */
export function perSecond(count: number, elapsedMs: number): number {
  if (elapsedMs <= 0) throw new Error('elapsed time must be positive');
  return (count * 1000) / elapsedMs;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

/** p50/p90/p99/max of latency samples (same unit in, same unit out). */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) max = Math.max(max, samples[i]!);
  return {
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max,
    count: samples.length,
  };
}
