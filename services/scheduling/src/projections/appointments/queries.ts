import type { Queryable } from '@medspa/db';
import type { AppointmentState } from '../../domain/index.js';
import { SCHEMA } from '../schema.js';

const table = `${SCHEMA}.appointments`;

type Active = Exclude<AppointmentState, { status: 'none' }>;

export interface ListedAppointment {
  state: Active;
  version: number;
}

interface Row {
  state: Active;
  version: string | number;
}

const listed = (rows: Row[]): ListedAppointment[] =>
  rows.map((r) => ({ state: r.state, version: Number(r.version) }));

/** Appointments at a location overlapping [from, to), cancelled ones left out, by start. */
export async function appointmentsAt(
  db: Queryable,
  locationId: string,
  fromMs: number,
  toMs: number,
): Promise<ListedAppointment[]> {
  const res = await db.query<Row>(
    `SELECT state, version FROM ${table}
      WHERE location_id = $1 AND start_at < $3 AND end_at > $2 AND status <> 'cancelled'
      ORDER BY start_at, appointment_id`,
    [locationId, new Date(fromMs), new Date(toMs)],
  );
  return listed(res.rows);
}

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
