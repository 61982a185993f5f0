/* eslint-disable @typescript-eslint/no-unsafe-member-access -- test code walks parsed JSON bodies; a wrong path fails the assertion */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testing/platform.js';
import { rest } from './testing/rest.js';
import { signInThroughRest } from './testing/sign-in.js';

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ audit: false });
});
afterAll(async () => p?.close());

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const ownerSignsIn = () => signInThroughRest(p);

async function setUpLocation(token: string) {
  const location = await rest(p.gateway, 'POST', '/v1/locations', {
    token,
    body: { name: 'Upper East Side', timeZone: 'America/New_York', openingHours: everyDay },
  });
  expect(location.status).toBe(201);
  const locationId = location.body.locationId as string;
  const provider = await rest(p.gateway, 'POST', '/v1/providers', {
    token,
    body: { roles: ['registered_nurse'], calendarTimeZone: 'America/New_York' },
  });
  const providerId = provider.body.providerId as string;
  const hours = await rest(p.gateway, 'PUT', `/v1/providers/${providerId}/working-hours`, {
    token,
    body: { locationId, hours: everyDay },
  });
  expect(hours.status).toBe(200);
  const treatment = await rest(p.gateway, 'POST', '/v1/treatments', {
    token,
    body: { name: 'Consultation', durationMinutes: 30, price: { amountMinor: 5000, currency: 'USD' } },
  });
  expect(treatment.status).toBe(201);
  await p.catchUp();
  return { locationId, providerId, treatmentId: treatment.body.treatmentId as string };
}

describe('REST end to end', () => {
  it('signs in with MFA, books an appointment and finds it on the day calendar', async () => {
    const { tokens } = await ownerSignsIn();
    const token = tokens.accessToken!;
    const { locationId, providerId, treatmentId } = await setUpLocation(token);
    const date = tomorrow();
    const slots = await rest(
      p.gateway,
      'GET',
      `/v1/availability?locationId=${locationId}&treatmentId=${treatmentId}&fromDate=${date}&toDate=${date}`,
      { token },
    );
    expect(slots.status).toBe(200);
    const slot = slots.body.slots[0] as { start: string; providerId: string };
    expect(slot.providerId).toBe(providerId);

    const patientId = randomUUID();
    const booked = await rest(p.gateway, 'POST', '/v1/appointments', {
      token,
      body: { patientId, locationId, treatmentId, providerId, start: slot.start },
    });
    expect(booked.status).toBe(201);
    expect(booked.body.appointment).toMatchObject({ patientId, status: 'APPOINTMENT_STATUS_BOOKED' });
    const appointmentId = booked.body.appointment.appointmentId as string;

    await p.catchUp();
    const day = await rest(p.gateway, 'GET', `/v1/locations/${locationId}/calendar/${date}`, { token });
    expect(day.status).toBe(200);
    const column = (
      day.body.providers as { resourceId: string; appointments: { appointmentId: string }[] }[]
    ).find((c) => c.resourceId === providerId);
    expect(column?.appointments.map((a) => a.appointmentId)).toContain(appointmentId);

    // The same slot again: the service's conflict, as problem+json 409.
    const twice = await rest(p.gateway, 'POST', '/v1/appointments', {
      token,
      body: { patientId: randomUUID(), locationId, treatmentId, providerId, start: slot.start },
    });
    expect(twice.status).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');
  });

  it('maps bad input to 400 with field errors, and unknown ids to 404, never a 500', async () => {
    const { tenantId } = await ownerSignsIn();
    const token = await p.token({ tenantId, role: 'front_desk' });
    const bad = await rest(p.gateway, 'POST', '/v1/appointments', {
      token,
      body: { patientId: 'not-a-uuid', start: 'tomorrow' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('INVALID_ARGUMENT');
    expect((bad.body.errors as { field: string }[]).map((e) => e.field)).toEqual(
      expect.arrayContaining(['body.patientId', 'body.start']),
    );
    const missing = await rest(p.gateway, 'GET', `/v1/appointments/${randomUUID()}`, { token });
    expect(missing.status).toBe(404);
    const badPath = await rest(p.gateway, 'GET', '/v1/appointments/..%2F..', { token });
    expect(badPath.status).toBe(400);
    const notJson = await p.gateway.inject({
      method: 'POST',
      url: '/v1/locations',
      headers: {
        authorization: `Bearer ${await p.token({ tenantId, role: 'owner' })}`,
        'content-type': 'application/json',
      },
      payload: '{"name":',
    });
    expect(notJson.statusCode).toBe(400);
  });
});
