/**
 * Durations and counts of the eventstore benchmark, sized so that `make bench BENCH=eventstore`
 * stays under ~5 minutes on the 2-core machine. BENCH_QUICK=1 shrinks everything (a smoke run).
 */
const quick = process.env.BENCH_QUICK === '1';
const scale = (full: number, small: number): number => (quick ? small : full);

export const config = {
  /**
   * Append scenarios: each contender warms up once, then is measured in `reps` windows of
   * `windowMs` (after a short ramp), interleaved with the other contenders' windows.
   */
  append: {
    warmupMs: scale(2_000, 500),
    rampMs: scale(250, 100),
    windowMs: scale(2_000, 700),
    reps: scale(3, 2),
    /** An appointment stream collects about this many single-event appends (its lifecycle). */
    eventsPerStream: 10,
  },
  /** Events in the log that `replay` reads end to end. */
  replayEvents: scale(1_000_000, 50_000),
  /** readAll page size: the store's default. */
  replayPageSize: 1000,
  /** Events (10 per stream, each with its outbox message) that the projection and the relay process. */
  flowEvents: scale(60_000, 20_000),
  /** Concurrent appends while loading data sets (not a measured figure). */
  loadWriters: 4,
};
