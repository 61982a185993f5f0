import type { Queryable } from '@medspa/db';
import type { AppointmentState } from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

const table = `${SCHEMA}.appointments`;

type Active = Exclude<AppointmentState, { status: 'none' }>;

export interface ListedAppointment {
  state: Active;
  version: number;
}

export interface Row {
  state: Active;
  version: string | number;
}

/** Rows (or JSON objects) of `state` and `version` as listed appointments. */
export const listed = (rows: readonly Row[]): ListedAppointment[] =>
  rows.map((r) => ({ state: r.state, version: Number(r.version) }));

/**
 * Appointments at a location overlapping [from, to), cancelled ones left out, by start: a scalar
 * subquery giving one JSON array of `{ state, version }`, to be read with `listed`. The
 * arguments are SQL placeholders or literals (uuids, then timestamptz).
 */
export const appointmentsAtJson = (tenant: string, location: string, from: string, to: string): string =>
  `SELECT coalesce(json_agg(json_build_object('state', state, 'version', version)
            ORDER BY start_at, appointment_id), '[]')
     FROM ${table}
    WHERE tenant_id = ${tenant} AND location_id = ${location}
      AND start_at < ${to} AND end_at > ${from} AND status <> 'cancelled'`;

/**
 * A patient's appointments split at `now`: upcoming (active and not yet started, soonest first)
 * and past (everything else, most recent first).
 */
export async function appointmentsOfPatient(
  db: Queryable,
  patientId: string,
  nowMs: number,
): Promise<{ upcoming: ListedAppointment[]; past: ListedAppointment[] }> {
  const res = await db.query<Row & { upcoming: boolean }>(
    `SELECT state, version, (start_at >= $2 AND status IN ('booked', 'confirmed')) AS upcoming
       FROM ${table} WHERE patient_id = $1
      ORDER BY start_at`,
    [patientId, new Date(nowMs)],
  );
  return {
    upcoming: listed(res.rows.filter((r) => r.upcoming)),
    past: listed(res.rows.filter((r) => !r.upcoming).reverse()),
  };
}
