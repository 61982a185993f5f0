import type { Queryable } from '@medspa/db';
import { SCHEMA } from '../schema.js';

const table = `${SCHEMA}.provider_bookings`;

export interface BookedDay {
  providerId: string;
  date: string;
  bookedMinutes: number;
  appointments: number;
  noShows: number;
}

/** Booked treatment minutes per provider and local date at a location (cancellations left out). */
export async function bookedDays(
  db: Queryable,
  filter: { locationId: string; fromDate: string; toDate: string; providerId: string | null },
): Promise<BookedDay[]> {
  const res = await db.query<{
    provider_id: string;
    date: string;
    minutes: string;
    appointments: string;
    no_shows: string;
  }>(
    `SELECT provider_id, to_char(local_date, 'YYYY-MM-DD') AS date, sum(minutes) AS minutes,
            count(*) AS appointments, count(*) FILTER (WHERE status = 'no_show') AS no_shows
       FROM ${table}
      WHERE location_id = $1 AND local_date BETWEEN $2::date AND $3::date
        AND ($4::uuid IS NULL OR provider_id = $4) AND status <> 'cancelled'
      GROUP BY provider_id, local_date`,
    [filter.locationId, filter.fromDate, filter.toDate, filter.providerId],
  );
  return res.rows.map((r) => ({
    providerId: r.provider_id,
    date: r.date,
    bookedMinutes: Number(r.minutes),
    appointments: Number(r.appointments),
    noShows: Number(r.no_shows),
  }));
}
