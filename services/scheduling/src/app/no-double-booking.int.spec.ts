import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '@medspa/errors';
import {
  consultWithFirstProvider,
  daysFromNow,
  localInstant,
  setUpClinic,
  type Clinic,
} from '../testing/clinic.js';
import { startHarness, type Harness } from '../testing/harness.js';
import {
  evolveCalendar,
  initialCalendarState,
  type CalendarEvent,
  type CalendarState,
} from '../domain/index.js';

let h: Harness;
let clinic: Clinic;
beforeAll(async () => {
  h = await startHarness();
  clinic = await setUpClinic(h);
});
afterAll(async () => h?.stop());

interface Held {
  resource: string;
  appointmentId: string;
  startMs: number;
  endMs: number;
}

/** Pairs of holds on one resource that overlap in time. */
function overlaps(holds: readonly Held[]): [Held, Held][] {
  const found: [Held, Held][] = [];
  const byResource = new Map<string, Held[]>();
  for (const x of holds) byResource.set(x.resource, [...(byResource.get(x.resource) ?? []), x]);
  for (const list of byResource.values()) {
    const sorted = [...list].sort((a, b) => a.startMs - b.startMs);
    for (let i = 1; i < sorted.length; i++) {
      const [prev, next] = [sorted[i - 1]!, sorted[i]!];
      if (next.startMs < prev.endMs) found.push([prev, next]);
    }
  }
  return found;
}

describe('no double-booking under concurrency', () => {
  it('200 concurrent bookings for overlapping slots on the same resources leave no overlap', async () => {
    const date = daysFromNow(4);
    const times = Array.from({ length: 28 }, (_, i) => {
      const minutes = 9 * 60 + i * 15;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    });
    const requests = Array.from({ length: 200 }, (_, i) => {
      const laser = i % 4 !== 0; // a quarter are consults: the provider only, no room or device
      return {
        appointmentId: '',
        patientId: randomUUID(),
        locationId: clinic.locationId,
        treatmentId: laser ? clinic.laserId : clinic.consultId,
        providerId: clinic.providerIds[i % 2]!,
        roomId: laser ? clinic.roomId : '',
        deviceId: laser ? clinic.deviceId : '',
        start: localInstant(date, times[(i * 7) % times.length]!),
      };
    });
    const outcomes = await Promise.allSettled(requests.map((r) => clinic.desk.bookAppointment(r)));

    const booked = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.appointment!] : []));
    const reasons = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [isAppError(o.reason) ? o.reason.reason : String(o.reason)] : [],
    );
    // Every refusal is the calendar saying no (or, rarely, a conflict that outlasted the retries).
    expect(
      new Set(reasons).size === 0 ||
        [...new Set(reasons)].every((r) => r === 'SLOT_TAKEN' || r === 'STREAM_VERSION_CONFLICT'),
    ).toBe(true);
    expect(booked.length).toBeGreaterThanOrEqual(3);
    expect(booked.length + reasons.length).toBe(200);

    // From the calendar streams themselves: fold every calendar stream of this tenant.
    const rows = await h.admin.query<{ stream_id: string; event_type: string; data: CalendarEvent['data'] }>(
      `SELECT stream_id, event_type, data FROM scheduling.events
        WHERE stream_type = 'calendar' AND metadata->>'tenantId' = $1 ORDER BY stream_id, stream_version`,
      [clinic.tenantId],
    );
    const calendars = new Map<string, CalendarState>();
    for (const r of rows.rows) {
      const state = calendars.get(r.stream_id) ?? initialCalendarState();
      calendars.set(
        r.stream_id,
        evolveCalendar(state, { type: r.event_type, data: r.data } as CalendarEvent),
      );
    }
    const fromStreams: Held[] = [...calendars.entries()].flatMap(([streamId, state]) =>
      state.holds.map((x) => ({
        // calendar-<kind>-<uuid>-<date>: the resource is kind + uuid.
        resource: streamId.split('-').slice(1, 7).join('-'),
        appointmentId: x.appointmentId,
        startMs: x.startMs,
        endMs: x.endMs,
      })),
    );
    expect(overlaps(fromStreams)).toEqual([]);
    const laserBooked = booked.filter((a) => a.treatmentId === clinic.laserId).length;
    expect(fromStreams).toHaveLength(laserBooked * 3 + (booked.length - laserBooked));
    expect(new Set(fromStreams.map((x) => x.appointmentId))).toEqual(
      new Set(booked.map((a) => a.appointmentId)),
    );

    // No refusal was spurious: every request turned away overlaps a hold on one of its resources.
    const MIN = 60_000;
    outcomes.forEach((o, i) => {
      if (o.status === 'fulfilled' || !isAppError(o.reason) || o.reason.reason !== 'SLOT_TAKEN') return;
      const r = requests[i]!;
      const laser = r.roomId !== '';
      const startMs = r.start.getTime() - (laser ? 10 : 0) * MIN;
      const endMs = r.start.getTime() + (laser ? 70 : 30) * MIN;
      const mine = new Set([`provider-${r.providerId}`, `room-${r.roomId}`, `device-${r.deviceId}`]);
      const blocker = fromStreams.find((x) => mine.has(x.resource) && x.startMs < endMs && startMs < x.endMs);
      expect(blocker, `request ${i} was refused without a clash`).toBeDefined();
    });

    // And from the read models, once they have caught up.
    await h.service.catchUp();
    const model = await h.admin.query<{ resource: string; appointment_id: string; s: string; e: string }>(
      `SELECT resource_kind || '-' || resource_id AS resource, appointment_id,
              (extract(epoch FROM start_at) * 1000)::bigint AS s, (extract(epoch FROM end_at) * 1000)::bigint AS e
         FROM scheduling.calendar_holds WHERE tenant_id = $1`,
      [clinic.tenantId],
    );
    const fromModel = model.rows.map((r) => ({
      resource: r.resource,
      appointmentId: r.appointment_id,
      startMs: Number(r.s),
      endMs: Number(r.e),
    }));
    expect(overlaps(fromModel)).toEqual([]);
    expect(fromModel).toHaveLength(fromStreams.length);
    const sqlOverlaps = await h.admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM scheduling.calendar_holds a JOIN scheduling.calendar_holds b
          ON a.tenant_id = b.tenant_id AND a.resource_kind = b.resource_kind AND a.resource_id = b.resource_id
         AND a.appointment_id < b.appointment_id AND a.start_at < b.end_at AND b.start_at < a.end_at
        WHERE a.tenant_id = $1`,
      [clinic.tenantId],
    );
    expect(Number(sqlOverlaps.rows[0]?.n)).toBe(0);
    const appointments = await h.admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM scheduling.appointments WHERE tenant_id = $1 AND status = 'booked'`,
      [clinic.tenantId],
    );
    expect(Number(appointments.rows[0]?.n)).toBe(booked.length);
  });

  it('a replica whose cached calendar day went stale is told SLOT_TAKEN, never double-books', async () => {
    const other = await h.startReplica();
    const deskHere = clinic.desk;
    const deskThere = await h.clientAs(clinic.tenantId, 'front_desk', undefined, other);
    const date = daysFromNow(5);
    const consultAt = (time: string) => consultWithFirstProvider(clinic, localInstant(date, time));

    // This replica now holds the provider's day; the other one then books into it.
    await deskHere.bookAppointment(consultAt('09:00'));
    await deskThere.bookAppointment(consultAt('10:00'));

    // Decided on the stale day the slot looks free; the append's version check says otherwise.
    const clash = await deskHere.bookAppointment(consultAt('10:00')).catch((e: unknown) => e);
    expect(isAppError(clash) ? clash.reason : clash).toBe('SLOT_TAKEN');
    await expect(deskHere.bookAppointment(consultAt('11:00'))).resolves.toBeDefined();

    const holds = await h.admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM scheduling.events
        WHERE stream_type = 'calendar' AND metadata->>'tenantId' = $1 AND event_type = 'ResourceTimeHeld'
          AND stream_id LIKE $2`,
      [clinic.tenantId, `%${date}%`],
    );
    expect(Number(holds.rows[0]?.n)).toBe(3);
  });
});
