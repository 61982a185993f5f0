import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WaitlistEntryStatus, type JoinWaitlistRequest } from '@medspa/contracts/medspa.scheduling.v1';
import { withTenant } from '@medspa/db';
import { isAppError, type ErrorKind } from '@medspa/errors';
import {
  consultWithFirstProvider,
  daysFromNow,
  localInstant,
  setUpClinic,
  type Clinic,
} from '../../testing/clinic.js';
import { startHarness, type Harness } from '../../testing/harness.js';

// The waitlist and utilisation RPCs: what they show, and that bad input, another clinic's ids and
// roles without the permission are refused with a machine-readable reason and write nothing.

let h: Harness;
let clinic: Clinic;
let other: Clinic;
beforeAll(async () => {
  h = await startHarness();
  [clinic, other] = [await setUpClinic(h), await setUpClinic(h)];
});
afterAll(async () => h?.stop());

const date = daysFromNow(4);
const wish = (overrides: Partial<JoinWaitlistRequest> = {}): JoinWaitlistRequest => ({
  entryId: '',
  patientId: randomUUID(),
  locationId: clinic.locationId,
  treatmentId: clinic.consultId,
  providerIds: [],
  windows: [{ fromDate: date, toDate: daysFromNow(6), earliest: '09:00', latest: '13:00' }],
  priority: 10,
  ...overrides,
});

async function refusal(p: Promise<unknown>): Promise<{ kind: ErrorKind; reason: string; fields: string[] }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { kind: e.kind, reason: e.reason, fields: e.violations.map((v) => v.field) };
    throw e;
  }
  throw new Error('expected the call to be refused');
}

async function written(): Promise<Record<string, number>> {
  const res = await h.admin.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM scheduling.events) AS events, (SELECT count(*) FROM scheduling.outbox) AS outbox,
            (SELECT count(*) FROM scheduling.waitlist_cascades) AS cascades,
            (SELECT count(*) FROM scheduling.waitlist_timers) AS timers`,
  );
  return Object.fromEntries(Object.entries(res.rows[0]!).map(([k, v]) => [k, Number(v)]));
}

describe('the waitlist over gRPC', () => {
  it('lists a location’s entries in priority order, and a patient’s own; withdrawn ones close', async () => {
    const { entry: low } = await clinic.desk.joinWaitlist(wish({ priority: 5 }));
    const { entry: high } = await clinic.desk.joinWaitlist(
      wish({ priority: 60, providerIds: [clinic.providerIds[1]] }),
    );
    expect(high).toMatchObject({
      status: WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WAITING,
      providerIds: [clinic.providerIds[1]],
      priority: 60,
      version: 1,
    });
    await h.service.catchUp();
    const listed = await clinic.desk.listWaitlist({
      locationId: clinic.locationId,
      treatmentId: clinic.consultId,
      patientId: '',
      includeClosed: false,
    });
    const ids = listed.entries.map((e) => e.entryId);
    expect(ids.indexOf(high!.entryId)).toBeLessThan(ids.indexOf(low!.entryId));

    const patient = await h.clientAs(clinic.tenantId, 'patient', low!.patientId);
    const own = await patient.listWaitlist({
      locationId: '',
      treatmentId: '',
      patientId: low!.patientId,
      includeClosed: false,
    });
    expect(own.entries.map((e) => e.entryId)).toEqual([low!.entryId]);
    const { entry: withdrawn } = await patient.withdrawFromWaitlist({ entryId: low!.entryId });
    expect(withdrawn!.status).toBe(WaitlistEntryStatus.WAITLIST_ENTRY_STATUS_WITHDRAWN);
    await h.service.catchUp();
    const open = await clinic.desk.listWaitlist({
      locationId: clinic.locationId,
      treatmentId: '',
      patientId: '',
      includeClosed: false,
    });
    expect(open.entries.map((e) => e.entryId)).not.toContain(low!.entryId);
    const all = await clinic.desk.listWaitlist({
      locationId: clinic.locationId,
      treatmentId: '',
      patientId: '',
      includeClosed: true,
    });
    expect(all.entries.map((e) => e.entryId)).toContain(low!.entryId);
    // The patient's read of their own list is an access event in the outbox.
    const access = await h.admin.query(
      `SELECT 1 FROM scheduling.outbox WHERE message_key LIKE $1 AND message_type LIKE '%Access%'`,
      [`%${low!.patientId}%`],
    );
    expect(access.rowCount).toBeGreaterThan(0);
  });

  it('shows booked against duty minutes per provider and day', async () => {
    const day = daysFromNow(12);
    await clinic.desk.bookAppointment(consultWithFirstProvider(clinic, localInstant(day, '11:00')));
    await h.service.catchUp();
    const { days } = await clinic.owner.getProviderUtilisation({
      locationId: clinic.locationId,
      fromDate: day,
      toDate: day,
      providerId: '',
    });
    expect(days).toEqual([
      {
        providerId: clinic.providerIds[0],
        date: day,
        bookedMinutes: 30,
        dutyMinutes: 540,
        appointments: 1,
        noShows: 0,
        utilisationBp: 556,
      },
      {
        providerId: clinic.providerIds[1],
        date: day,
        bookedMinutes: 0,
        dutyMinutes: 540,
        appointments: 0,
        noShows: 0,
        utilisationBp: 0,
      },
    ]);
  });

  it('refuses bad input, another clinic’s ids and missing permissions, writing nothing', async () => {
    const { entry } = await clinic.desk.joinWaitlist(wish());
    const entryId = entry!.entryId;
    const owner = await h.clientAs(clinic.tenantId, 'patient', entry!.patientId);
    const stranger = await h.clientAs(clinic.tenantId, 'patient');
    const billing = await h.clientAs(clinic.tenantId, 'billing');
    await h.service.catchUp();
    const before = await written();
    const desk = clinic.desk;
    const window = wish().windows[0]!;
    const cases: [Promise<unknown>, ErrorKind, string, string?][] = [
      [desk.joinWaitlist(wish({ patientId: 'nobody' })), 'validation', 'INVALID_ID', 'patientId'],
      [desk.joinWaitlist(wish({ windows: [] })), 'validation', 'INVALID_WINDOWS', 'windows'],
      [
        desk.joinWaitlist(wish({ windows: [{ ...window, latest: '08:00' }] })),
        'validation',
        'END_BEFORE_START',
        'windows.0',
      ],
      [
        desk.joinWaitlist(wish({ windows: [{ ...window, fromDate: '2026-02-30' }] })),
        'validation',
        'INVALID_LOCAL_DATE',
      ],
      [desk.joinWaitlist(wish({ priority: 101 })), 'validation', 'INVALID_PRIORITY', 'priority'],
      [desk.joinWaitlist(wish({ locationId: randomUUID() })), 'not_found', 'LOCATION_NOT_FOUND'],
      [desk.joinWaitlist(wish({ treatmentId: other.consultId })), 'not_found', 'TREATMENT_NOT_FOUND'],
      [desk.joinWaitlist(wish({ providerIds: [other.providerIds[0]] })), 'not_found', 'PROVIDER_NOT_FOUND'],
      [desk.acceptWaitlistOffer({ entryId, offerId: randomUUID() }), 'precondition', 'NO_OFFER_PENDING'],
      [desk.declineWaitlistOffer({ entryId, offerId: randomUUID() }), 'precondition', 'NO_OFFER_PENDING'],
      [desk.withdrawFromWaitlist({ entryId: 'x' }), 'validation', 'INVALID_ID', 'entryId'],
      [desk.withdrawFromWaitlist({ entryId: randomUUID() }), 'not_found', 'WAITLIST_ENTRY_NOT_FOUND'],
      [
        desk.listWaitlist({ locationId: 'x', treatmentId: '', patientId: '', includeClosed: false }),
        'validation',
        'INVALID_ID',
      ],
      [
        desk.getProviderUtilisation({
          locationId: clinic.locationId,
          fromDate: daysFromNow(5),
          toDate: daysFromNow(4),
          providerId: '',
        }),
        'validation',
        'INVALID_DATE_RANGE',
      ],
      // another clinic
      [other.desk.withdrawFromWaitlist({ entryId }), 'not_found', 'WAITLIST_ENTRY_NOT_FOUND'],
      [
        other.desk.acceptWaitlistOffer({ entryId, offerId: randomUUID() }),
        'not_found',
        'WAITLIST_ENTRY_NOT_FOUND',
      ],
      [other.desk.joinWaitlist(wish()), 'not_found', 'LOCATION_NOT_FOUND'],
      [
        other.desk.getProviderUtilisation({
          locationId: clinic.locationId,
          fromDate: date,
          toDate: date,
          providerId: '',
        }),
        'not_found',
        'LOCATION_NOT_FOUND',
      ],
      // roles and ownership
      [billing.joinWaitlist(wish()), 'forbidden', 'PERMISSION_DENIED'],
      [stranger.joinWaitlist(wish()), 'forbidden', 'PERMISSION_DENIED'],
      [stranger.withdrawFromWaitlist({ entryId }), 'forbidden', 'PERMISSION_DENIED'],
      [stranger.declineWaitlistOffer({ entryId, offerId: randomUUID() }), 'forbidden', 'PERMISSION_DENIED'],
      [
        owner.listWaitlist({
          locationId: clinic.locationId,
          treatmentId: '',
          patientId: '',
          includeClosed: false,
        }),
        'forbidden',
        'PERMISSION_DENIED',
      ],
      [
        owner.getProviderUtilisation({
          locationId: clinic.locationId,
          fromDate: date,
          toDate: date,
          providerId: '',
        }),
        'forbidden',
        'PERMISSION_DENIED',
      ],
    ];
    const refusals = await Promise.all(cases.map(([call]) => refusal(call)));
    for (const [i, [, kind, reason, field]] of cases.entries()) {
      const got = refusals[i]!;
      expect({ i, kind: got.kind, reason: got.reason }).toEqual({ i, kind, reason });
      if (field !== undefined) expect(got.fields).toContain(field);
    }
    expect(await written()).toEqual(before);
  });

  it('keeps the new read models tenant-isolated', async () => {
    await h.service.catchUp();
    const pool = h.service.pool; // the app role: not owner, NOBYPASSRLS
    for (const table of ['waitlist_entries', 'provider_bookings', 'waitlist_cascades']) {
      const bare = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM scheduling.${table}`);
      expect(Number(bare.rows[0]?.n), table).toBe(0);
    }
    const seen = await withTenant(pool, other.tenantId, (db) =>
      db.query(`SELECT 1 FROM scheduling.waitlist_entries WHERE tenant_id = $1`, [clinic.tenantId]),
    );
    expect(seen.rowCount).toBe(0);
  });
});
