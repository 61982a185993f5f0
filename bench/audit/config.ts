/**
 * Sizes of the audit benchmark. The full run stays within ~10 minutes on the shared 2-core machine
 * (most of it loading the 5M-entry log for the query figure); BENCH_QUICK=1 is a smoke run.
 */
const quick = process.env.BENCH_QUICK === '1';
const scale = (full: number, small: number): number => (quick ? small : full);

export const config = {
  /** Access events waiting in the producers' outboxes when ingest starts (catch-up throughput). */
  ingestEvents: scale(200_000, 10_000),
  /** Producing services (one consumer, one topic each). */
  ingestSources: 4,
  /** Clinics whose events the producers interleave. */
  ingestTenants: 20,
  /** Real chained entries verified: appended through the store, checkpointed every `checkpointEvery`. */
  verifyEntries: scale(1_000_000, 40_000),
  verifyTenants: 1,
  checkpointEvery: 10_000,
  /** Entries in the log the patient queries run against (bulk SQL: see query.ts). */
  queryEntries: scale(5_000_000, 200_000),
  queryTenants: 50,
  /** Patients per tenant: about 100 entries each, a few years of a regular patient's visits. */
  patientsPerTenant: scale(1_000, 40),
  queries: scale(2_000, 200),
  queryPageSize: 100,
};
