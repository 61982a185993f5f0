/**
 * Sizes of the scheduling benchmark. The full run books 10,000 appointments over 30 days for a
 * clinic of 20 providers and 10 rooms (a few minutes on the 2-core machine); BENCH_QUICK=1 is a
 * smoke run with 1,000.
 */
const quick = process.env.BENCH_QUICK === '1';

export const config = {
  quick,
  days: 30,
  providers: 20,
  rooms: 10,
  appointments: quick ? 1_000 : 10_000,
  clients: 16,
  /** Every n-th booking is followed to its day-calendar row for the projection lag. */
  lagSampleEvery: quick ? 2 : 5,
  searchWarmup: quick ? 5 : 20,
  searches: quick ? 30 : 200,
  searchPageSize: 500,
};
