/** What `bench/<name>/index.ts` exports by default; `bench/run.ts` finds and runs it. */
export interface Benchmark {
  /** One line for the list of available benchmarks. */
  description: string;
  /** Prints figures with `emit`; whatever it starts is registered with `onCleanup`. */
  run(): Promise<void>;
}

/** Declares a benchmark (an identity function that checks its shape). */
export const defineBenchmark = (benchmark: Benchmark): Benchmark => benchmark;
