/**
 * Sizes of the patient-record benchmark. The full run loads 100,000 encrypted patients (a few
 * minutes on the 2-core machine, most of it the patient directory projection); BENCH_QUICK=1
 * shrinks everything to a smoke run under a minute.
 */
const quick = process.env.BENCH_QUICK === '1';
const scale = (full: number, small: number): number => (quick ? small : full);

export const config = {
  /** Encrypted patients in one tenant, searched by name prefix (BENCH_PATIENTS overrides). */
  patients: Number(process.env.BENCH_PATIENTS ?? scale(100_000, 3_000)),
  /** Appends per loading transaction, and loading transactions in flight. */
  loadBatch: 250,
  loadWriters: 4,
  /** Timed searches, after untimed warm-up ones. */
  searches: scale(500, 60),
  searchWarmup: scale(50, 10),
  /** Encounters on the chart that is opened, and timed openings. */
  chartEncounters: 50,
  chartOpens: scale(200, 30),
  chartWarmup: scale(20, 5),
  /** Patients charted (register + a 4-event encounter each) per round of the overhead comparison. */
  overheadPatients: scale(400, 60),
  overheadRounds: scale(3, 2),
};
