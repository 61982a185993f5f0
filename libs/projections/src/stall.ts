import type { Queryable } from '@medspa/db';

/** The session whose open transaction holds the cluster's snapshot xmin back. Never its query text. */
export interface SnapshotBlocker {
  /** False when no session holding a transaction id is visible (only the xmin is known). */
  visible: boolean;
  /**
   * True when the blocker is another role's session: Postgres then shows its pid, application and
   * role but hides its state and age. Grant the reader pg_read_all_stats to see them.
   */
  detailsHidden?: boolean;
  /** The snapshot xmin every gap-safe reader waits on. */
  xmin: string;
  pid?: number;
  applicationName?: string;
  state?: string;
  role?: string;
  database?: string;
  backendType?: string;
  transactionAgeSeconds?: number;
  /** Set when the blocker is a prepared (two-phase) transaction rather than a session. */
  preparedTransaction?: boolean;
}

interface ActivityRow {
  xmin: string;
  pid: number | null;
  application_name: string | null;
  state: string | null;
  role: string | null;
  database: string | null;
  backend_type: string | null;
  age_seconds: number | null;
  prepared: boolean;
}

// Only transactions holding a transaction id move the snapshot xmin (read-only ones do not), so the
// blocker is the session whose backend_xid is the xmin; the oldest such session otherwise. The
// query column is never selected: it may quote patient data.
const BLOCKER_SQL = `
WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin8)
SELECT snap.xmin8::text AS xmin, a.pid, a.application_name, a.state, a.usename::text AS role,
  a.datname::text AS database, a.backend_type,
  extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS age_seconds,
  (a.pid IS NULL AND EXISTS (SELECT 1 FROM pg_prepared_xacts p WHERE p.transaction = xid(snap.xmin8))) AS prepared
FROM snap LEFT JOIN LATERAL (
  SELECT * FROM pg_stat_activity s
  WHERE s.backend_xid IS NOT NULL AND s.pid <> pg_backend_pid()
  ORDER BY (s.backend_xid = xid(snap.xmin8)) DESC, age(s.backend_xid) DESC
  LIMIT 1
) a ON true`;

/** Finds what holds gap-safe readers back, from pg_stat_activity (pid, application, state, age). */
export async function findSnapshotBlocker(db: Queryable): Promise<SnapshotBlocker> {
  const row = (await db.query<ActivityRow>(BLOCKER_SQL)).rows[0];
  if (row === undefined) return { visible: false, xmin: 'unknown' };
  if (row.prepared) return { visible: true, xmin: row.xmin, preparedTransaction: true };
  if (row.pid === null) return { visible: false, xmin: row.xmin };
  const blocker: SnapshotBlocker = { visible: true, xmin: row.xmin, pid: row.pid };
  if (row.application_name !== null) blocker.applicationName = row.application_name;
  if (row.role !== null) blocker.role = row.role;
  if (row.database !== null) blocker.database = row.database;
  if (row.state === null) blocker.detailsHidden = true;
  else blocker.state = row.state;
  if (row.backend_type !== null) blocker.backendType = row.backend_type;
  if (row.age_seconds !== null) blocker.transactionAgeSeconds = Math.round(row.age_seconds * 1000) / 1000;
  return blocker;
}

/**
 * How long a reader has been held back without progress. Any read that is not held back, or that
 * delivers events, ends the stall: a busy log is held back for a moment at nearly every read.
 */
export class StallClock {
  private since: number | undefined;
  private lastWarnedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly warnAfterMs: number) {}

  observe(heldBack: boolean, progressed: boolean, now: number): void {
    if (!heldBack || progressed) {
      this.since = undefined;
      this.lastWarnedAt = Number.NEGATIVE_INFINITY;
    } else this.since ??= now;
  }

  heldBackMs(now: number): number {
    return this.since === undefined ? 0 : now - this.since;
  }

  /** True once past the threshold, then again every threshold while the stall lasts. */
  shouldWarn(now: number): boolean {
    if (this.since === undefined || now - this.since < this.warnAfterMs) return false;
    if (now - this.lastWarnedAt < this.warnAfterMs) return false;
    this.lastWarnedAt = now;
    return true;
  }
}
