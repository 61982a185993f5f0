/* eslint-disable @typescript-eslint/no-unsafe-assignment -- test code walks parsed JSON bodies; a wrong path fails the assertion */
import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@medspa/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from './routes/index.js';
import { edgeAllows } from './session/authenticate.js';
import { MATRIX_SAMPLES, type MatrixFixture } from './testing/matrix-samples.js';
import { startPlatform, type Platform } from './testing/platform.js';
import { rest } from './testing/rest.js';

// Every route of the table x every person's role x (own clinic, another clinic). The expected
// outcome comes from libs/auth's role table through the route's declared access, never from a
// list kept here: allowed = the services answered (not 401/403); refused = 403; another clinic's
// record = 404 or 403 and never its data.

const PERSON_ROLES = ROLES.filter((r): r is Exclude<Role, 'service'> => r !== 'service');
const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));

let p: Platform;
let fx: MatrixFixture;
const otherTenant = randomUUID();

async function setUpClinic(): Promise<MatrixFixture> {
  const tenantId = randomUUID();
  const owner = await p.token({ tenantId, role: 'owner' });
  const post = async (url: string, body: unknown, token = owner) => {
    const res = await rest(p.gateway, url.includes('working-hours') ? 'PUT' : 'POST', url, { token, body });
    if (res.status >= 300) throw new Error(`${url}: ${res.status} ${res.text}`);
    return res.body;
  };
  const { locationId } = await post('/v1/locations', {
    name: 'Soho',
    timeZone: 'America/New_York',
    openingHours: everyDay,
  });
  const { providerId } = await post('/v1/providers', {
    roles: ['registered_nurse'],
    calendarTimeZone: 'America/New_York',
  });
  await post(`/v1/providers/${providerId}/working-hours`, { locationId, hours: everyDay });
  const { treatmentId } = await post('/v1/treatments', {
    name: 'Consultation',
    durationMinutes: 30,
    price: { amountMinor: 5000, currency: 'USD' },
  });
  const familyName = `Matrixson${randomUUID().slice(0, 8)}`;
  const { patientId } = await post('/v1/patients', {
    demographics: {
      name: { given: ['Ada'], family: familyName },
      dateOfBirth: '1985-06-15',
      gender: 'GENDER_FEMALE',
    },
    contact: { phone: '+12125550199', email: 'ada@patient.example' },
  });
  await p.catchUp();
  const date = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const slots = await rest(
    p.gateway,
    'GET',
    `/v1/availability?locationId=${locationId}&treatmentId=${treatmentId}&fromDate=${date}&toDate=${date}`,
    { token: owner },
  );
  const starts = (slots.body.slots as { start: string }[]).map((s) => s.start);
  const { appointment } = await post('/v1/appointments', {
    patientId,
    locationId,
    treatmentId,
    providerId,
    start: starts[0],
  });
  const provider = await p.token({ tenantId, role: 'provider', userId: providerId });
  const { encounterId } = await post(
    '/v1/encounters',
    { patientId, locationId, timeZone: 'America/New_York', serviceName: 'Consultation' },
    provider,
  );
  await p.catchUp();
  return {
    tenantId,
    locationId,
    providerId,
    treatmentId,
    patientId,
    familyName,
    appointmentId: (appointment as { appointmentId: string }).appointmentId,
    encounterId,
    date,
    start: starts[2]!,
    laterStart: starts[4]!,
  };
}

beforeAll(async () => {
  p = await startPlatform();
  fx = await setUpClinic();
});
afterAll(async () => p?.close());

/**
 * A person of `role` in `tenantId`. The patient is the fixture's patient and the provider its
 * treating provider (only they may sign the chart), in either clinic: the same subject id in
 * another clinic must reach nothing of this one.
 */
const tokenFor = (role: Role, tenantId: string) =>
  p.token({
    tenantId,
    role,
    userId: role === 'patient' ? fx.patientId : role === 'provider' ? fx.providerId : randomUUID(),
  });

describe('authorization matrix (generated from the route table and ROLE_PERMISSIONS)', () => {
  it('has a sample request for every route', () => {
    expect(ROUTES.map((r) => r.operationId).filter((id) => MATRIX_SAMPLES[id] === undefined)).toEqual([]);
  });

  it('allows and refuses every route for every role exactly as the permission table says', async () => {
    const failures: string[] = [];
    const tenantAIds = [
      fx.patientId,
      fx.appointmentId,
      fx.encounterId,
      fx.locationId,
      fx.providerId,
      fx.familyName,
    ];
    // What the other clinic's callers sent us: its own audit log rightly records the ids they asked about.
    const sentByOtherClinic = new Set<string>();
    for (const route of ROUTES) {
      const sample = MATRIX_SAMPLES[route.operationId]!(fx);
      const statuses = new Map<string, number>();
      for (const role of PERSON_ROLES) {
        for (const tenant of ['own', 'other'] as const) {
          const token = await tokenFor(role, tenant === 'own' ? fx.tenantId : otherTenant);
          const res = await rest(p.gateway, route.method, sample.url, {
            token,
            ...(sample.body === undefined ? {} : { body: sample.body }),
          });
          const where = `${route.operationId} as ${role} (${tenant} clinic): ${res.status} ${res.body?.code ?? ''}`;
          const sent = `${sample.url} ${JSON.stringify(sample.body ?? {})}`;
          if (res.status >= 500) failures.push(`${where}: server error`);
          if (route.access.kind !== 'permission') {
            if (tenant === 'own') statuses.set(role, res.status);
            continue;
          }
          const allowed = edgeAllows(role, route.access);
          if (!allowed) {
            if (res.status !== 403) failures.push(`${where}: expected 403`);
          } else if (tenant === 'own') {
            if (res.status === 401 || res.status === 403) failures.push(`${where}: expected allowed`);
          } else if (sample.crossTenant === 'not-found') {
            if (res.status !== 404 && res.status !== 403) failures.push(`${where}: expected 404 or 403`);
          } else {
            const known = (id: string) =>
              sample.url.includes(id) || (route.tag === 'audit' && sentByOtherClinic.has(id));
            const leaked = tenantAIds.filter((id) => res.text.includes(id) && !known(id));
            if (leaked.length > 0) failures.push(`${where}: leaked ${leaked.join(', ')}`);
          }
          if (tenant === 'other')
            for (const id of tenantAIds) if (sent.includes(id)) sentByOtherClinic.add(id);
        }
      }
      // Routes outside the role table answer the same whoever calls: the edge does not decide by role.
      if (route.access.kind !== 'permission' && new Set(statuses.values()).size > 1) {
        failures.push(
          `${route.operationId}: differs by role ${JSON.stringify(Object.fromEntries(statuses))}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
