import type { Queryable } from '@medspa/db';
import type { WaitlistState } from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

const table = `${SCHEMA}.waitlist_entries`;

export type ListedEntry = { state: Exclude<WaitlistState, { status: 'none' }>; version: number };

interface Row {
  state: ListedEntry['state'];
  version: string | number;
}

const ORDER = 'ORDER BY priority DESC, joined_at, entry_id';
const OPEN = `status IN ('waiting', 'offered', 'accepted')`;

/** A location's waitlist (optionally one treatment's), in the order the cascade offers slots. */
export async function waitlistAt(
  db: Queryable,
  filter: { locationId: string; treatmentId: string | null; includeClosed: boolean },
): Promise<ListedEntry[]> {
  const res = await db.query<Row>(
    `SELECT state, version FROM ${table}
      WHERE location_id = $1 AND ($2::uuid IS NULL OR treatment_id = $2)
        AND ($3 OR ${OPEN})
      ${ORDER} LIMIT 1000`,
    [filter.locationId, filter.treatmentId, filter.includeClosed],
  );
  return res.rows.map((r) => ({ state: r.state, version: Number(r.version) }));
}

/** One patient's entries, every location. */
export async function waitlistOfPatient(
  db: Queryable,
  patientId: string,
  includeClosed: boolean,
): Promise<ListedEntry[]> {
  const res = await db.query<Row>(
    `SELECT state, version FROM ${table} WHERE patient_id = $1 AND ($2 OR ${OPEN}) ${ORDER} LIMIT 1000`,
    [patientId, includeClosed],
  );
  return res.rows.map((r) => ({ state: r.state, version: Number(r.version) }));
}

/** Ids of the entries still open for a location and treatment: the cascade's candidates. */
export async function openEntryIds(
  db: Queryable,
  locationId: string,
  treatmentId: string,
): Promise<string[]> {
  const res = await db.query<{ entry_id: string }>(
    `SELECT entry_id FROM ${table} WHERE location_id = $1 AND treatment_id = $2 AND ${OPEN}
      ${ORDER} LIMIT 200`,
    [locationId, treatmentId],
  );
  return res.rows.map((r) => r.entry_id);
}
