import { randomUUID } from 'node:crypto';
import { createPool, type Pool } from '@medspa/db';
import { createServiceDatabase, eventually, type ServiceDatabase } from '@medspa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { consultWithFirstProvider, localInstant, setUpClinic, type Clinic } from '../../testing/clinic.js';
import { startHarness, type Harness } from '../../testing/harness.js';
import { readInTenant, type PreparedRead } from './tenant-read.js';

// The day calendar remembers location zones per process and reads its day in one round trip; these
// tests pin what that must not change: tenant isolation, not-found answers, no tenant left behind.

let h: Harness;
let clinic: Clinic;
beforeAll(async () => {
  h = await startHarness();
  clinic = await setUpClinic(h);
});
afterAll(async () => h?.stop());

const reasonOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { reason?: string }) => e.reason,
  );
const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));

describe('the location zone behind the day calendar', () => {
  it('refuses another clinic a location whose zone it has already read for the owner', async () => {
    const day = await clinic.desk.getDayCalendar({ locationId: clinic.locationId, date: '2027-01-05' });
    expect(day.timeZone).toBe('America/New_York');
    const other = await h.clientAs(randomUUID(), 'owner');
    expect(await reasonOf(other.getDayCalendar({ locationId: clinic.locationId, date: '2027-01-05' }))).toBe(
      'LOCATION_NOT_FOUND',
    );
  });

  it('finds a location registered after a request for it failed', async () => {
    const locationId = randomUUID();
    const ask = () => clinic.desk.getDayCalendar({ locationId, date: '2027-01-05' });
    expect(await reasonOf(ask())).toBe('LOCATION_NOT_FOUND');
    await clinic.owner.registerLocation({
      locationId,
      name: 'Tokyo',
      timeZone: 'Asia/Tokyo',
      openingHours: hours,
    });
    const day = await ask();
    expect(day).toMatchObject({
      locationId,
      date: '2027-01-05',
      timeZone: 'Asia/Tokyo',
      providers: [],
      rooms: [],
    });
  });

  it('gives each clinic its own zone for the same location id', async () => {
    const locationId = randomUUID();
    const tokyo = await setUpClinic(h, 'Asia/Tokyo');
    await clinic.owner.registerLocation({
      locationId,
      name: 'A',
      timeZone: 'Europe/Paris',
      openingHours: hours,
    });
    // The id is taken (streams are global): the other clinic is refused, never shown the first's zone.
    expect(
      await reasonOf(
        tokyo.owner.registerLocation({ locationId, name: 'B', timeZone: 'Asia/Tokyo', openingHours: hours }),
      ),
    ).not.toBe('resolved');
    expect((await clinic.desk.getDayCalendar({ locationId, date: '2027-01-05' })).timeZone).toBe(
      'Europe/Paris',
    );
    expect(await reasonOf(tokyo.desk.getDayCalendar({ locationId, date: '2027-01-05' }))).toBe(
      'LOCATION_NOT_FOUND',
    );
  });
});

describe('a remembered day calendar', () => {
  it('shows a booking and then its cancellation, made after the day was read', async () => {
    const date = '2027-02-09';
    const ask = () => clinic.desk.getDayCalendar({ locationId: clinic.locationId, date });
    const booked = (day: Awaited<ReturnType<typeof ask>>) => day.providers.flatMap((p) => p.appointments); // the calendar leaves cancelled ones out
    expect(booked(await ask())).toHaveLength(0);
    expect(booked(await ask())).toHaveLength(0); // now remembered
    const { appointment } = await clinic.desk.bookAppointment(
      consultWithFirstProvider(clinic, localInstant(date, '10:00')),
    );
    const withBooking = await eventually(ask, (day) => booked(day).length === 1);
    const appointmentId = appointment?.appointmentId;
    expect(booked(withBooking).map((a) => a.appointmentId)).toEqual([appointmentId]);
    await clinic.desk.cancelAppointment({
      appointmentId: appointmentId ?? '',
      reasonCode: 'patient_request',
    });
    expect(booked(await eventually(ask, (day) => booked(day).length === 0))).toHaveLength(0);
  });
});

describe('readInTenant', () => {
  let db: ServiceDatabase;
  let app: Pool;
  let admin: Pool;
  const [a, b] = [randomUUID(), randomUUID()];
  beforeAll(async () => {
    db = await createServiceDatabase('scheduling', migrations);
    app = createPool(db.appUrl, { max: 1 }); // one connection: the next query gets the same one
    admin = createPool(db.adminUrl, { max: 1 });
    for (const tenant of [a, b, b]) {
      await admin.query(
        `INSERT INTO scheduling.catalogue (tenant_id, stream_type, entity_id, state) VALUES ($1, 'room', $2, '{}')`,
        [tenant, randomUUID()],
      );
    }
  });
  afterAll(async () => {
    await app?.end();
    await admin?.end();
    await db?.drop();
  });

  const rooms: PreparedRead = {
    name: 'test_count_rooms',
    types: ['text'],
    sql: 'SELECT count(*)::int AS n FROM scheduling.catalogue WHERE stream_type = $1',
  };
  const count = (tenant: string) => readInTenant<{ n: number }>(app, tenant, rooms, ['room']);
  const tenantOnConnection = async () =>
    (await app.query<{ t: string | null }>("SELECT current_setting('app.tenant_id', true) AS t")).rows[0]?.t;

  it("sees the tenant's rows only, and leaves no tenant on the pooled connection", async () => {
    // Past the plan cache's five custom plans: the generic plan must still apply each call's tenant.
    for (let i = 0; i < 4; i++) {
      expect(await count(a)).toEqual([{ n: 1 }]);
      expect(await count(b)).toEqual([{ n: 2 }]);
    }
    expect(await tenantOnConnection()).toBeFalsy();
    expect((await app.query('SELECT count(*)::int AS n FROM scheduling.catalogue')).rows).toEqual([{ n: 0 }]);
  });

  it('discards the connection of a failed read and prepares again on the next', async () => {
    const divide: PreparedRead = { name: 'test_divide', types: ['int'], sql: 'SELECT 1 / $1 AS q' };
    await expect(readInTenant(app, a, divide, ['0'])).rejects.toThrow(/division by zero/);
    expect(await tenantOnConnection()).toBeFalsy();
    expect(await readInTenant(app, a, divide, ['1'])).toEqual([{ q: 1 }]);
    expect(await count(a)).toEqual([{ n: 1 }]);
  });

  it('refuses a tenant id that is not a UUID', async () => {
    await expect(readInTenant(app, "x'; SELECT 1; --", rooms, ['room'])).rejects.toThrow(/UUID/);
  });
});
