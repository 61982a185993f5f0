import { randomUUID } from 'node:crypto';
import { fromGrpcError } from '@medspa/errors';
import { describe, expect, it } from 'vitest';
import { rest } from './testing/rest.js';
import { unitGateway } from './testing/unit-gateway.js';

const appointment = {
  appointmentId: randomUUID(),
  patientId: randomUUID(),
  locationId: randomUUID(),
  treatmentId: randomUUID(),
  providerId: randomUUID(),
  roomId: '',
  deviceId: '',
  start: new Date('2027-01-05T14:00:00Z'),
  end: new Date('2027-01-05T14:30:00Z'),
  status: 1,
  cancellationReason: '',
  price: { amountMinor: 5000, currency: 'USD' },
  deposit: undefined,
  version: 1,
};

describe('edge authentication', () => {
  it('refuses missing, malformed, tampered, expired, wrong-audience and wrong-issuer tokens with 401', async () => {
    const g = await unitGateway({ scheduling: { getAppointment: async () => ({ appointment }) } });
    const url = `/v1/appointments/${appointment.appointmentId}`;
    const valid = await g.issuer.sign({ role: 'front_desk' });
    expect((await rest(g.app, 'GET', url, { token: valid })).status).toBe(200);

    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: 'owner' })).toString('base64url');
    const cases: [string | undefined, string, Record<string, string>?][] = [
      [undefined, 'TOKEN_MISSING'],
      [`${header}.${forged}.${signature}`, 'TOKEN_INVALID'],
      [`${header}.${payload}.${signature.slice(0, -4)}AAAA`, 'TOKEN_INVALID'],
      [await g.issuer.sign({ expiresIn: -60 }), 'TOKEN_EXPIRED'],
      [await g.issuer.sign({ audience: 'medspa.identity.mfa-enrolment' }), 'TOKEN_WRONG_AUDIENCE'],
      [await g.issuer.sign({ issuer: 'https://evil.example' }), 'TOKEN_WRONG_ISSUER'],
      ['x', 'TOKEN_MALFORMED', { authorization: 'Basic Zm9vOmJhcg==' }],
    ];
    for (const [token, code, headers] of cases) {
      const res = await rest(g.app, 'GET', url, headers ? { headers } : token ? { token } : {});
      expect(res.status, code).toBe(401);
      expect(res.body).toMatchObject({ code });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it("refuses a role without the route's permission with 403 before any service call", async () => {
    const g = await unitGateway();
    const token = await g.issuer.sign({ role: 'billing' });
    const res = await rest(g.app, 'POST', '/v1/appointments', { token, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('PERMISSION_DENIED');
    // Staff-only work is closed to a patient's own grant.
    const patient = await g.issuer.sign({ role: 'patient' });
    const calendar = await rest(g.app, 'GET', `/v1/locations/${randomUUID()}/calendar/2027-01-05`, {
      token: patient,
    });
    expect(calendar.status).toBe(403);
    const service = await g.issuer.sign({ role: 'service', userId: 'svc:reminders' });
    expect((await rest(g.app, 'GET', `/v1/appointments/${randomUUID()}`, { token: service })).status).toBe(
      403,
    );
  });

  it('logs a session off after 15 idle minutes, and refuses a logged-out session at once', async () => {
    const sid = randomUUID();
    const g = await unitGateway({
      scheduling: { getAppointment: async () => ({ appointment }) },
      identity: { logout: async () => ({}) },
    });
    const url = `/v1/appointments/${appointment.appointmentId}`;
    const token = await g.issuer.sign({ role: 'front_desk', sessionId: sid });
    expect((await rest(g.app, 'GET', url, { token })).status).toBe(200);
    g.clock.now += 15 * 60_000 + 1_000;
    const idle = await rest(g.app, 'GET', url, { token });
    expect(idle.status).toBe(401);
    expect(idle.body.code).toBe('SESSION_IDLE');

    const other = await g.issuer.sign({ role: 'front_desk' });
    expect((await rest(g.app, 'GET', url, { token: other })).status).toBe(200);
    expect((await rest(g.app, 'POST', '/v1/auth/logout', { token: other })).status).toBe(200);
    const revoked = await rest(g.app, 'GET', url, { token: other });
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('SESSION_REVOKED');
  });
});

describe('upstream errors as problem+json', () => {
  const grpc = (code: number, reason: string) => {
    const metadata = { get: (key: string) => (key === 'x-error-reason' ? [reason] : []) };
    return fromGrpcError({ code, details: 'upstream says no', metadata });
  };
  it.each([
    [3, 'APPOINTMENT_ID_INVALID', 400],
    [5, 'APPOINTMENT_NOT_FOUND', 404],
    [7, 'PERMISSION_DENIED', 403],
    [9, 'APPOINTMENT_NOT_BOOKED', 422],
    [10, 'SLOT_TAKEN', 409],
    [6, 'ALREADY_EXISTS', 409],
    [16, 'TOKEN_EXPIRED', 401],
    [14, 'UNAVAILABLE', 503],
    [4, 'DEADLINE', 504],
  ])('gRPC status %i (%s) answers %i', async (code, reason, status) => {
    const g = await unitGateway({ scheduling: { getAppointment: () => Promise.reject(grpc(code, reason)) } });
    const token = await g.issuer.sign({ role: 'front_desk' });
    const res = await rest(g.app, 'GET', `/v1/appointments/${randomUUID()}`, { token });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ status, code: reason });
  });

  it('answers an unreachable service with 503, not 500', async () => {
    const g = await unitGateway({
      scheduling: {
        getAppointment: () =>
          Promise.reject(
            fromGrpcError({
              code: 14,
              details: 'No connection established. connect ECONNREFUSED 10.0.3.7:50051',
            }),
          ),
      },
    });
    const token = await g.issuer.sign({ role: 'front_desk' });
    const res = await rest(g.app, 'GET', `/v1/appointments/${randomUUID()}`, { token });
    expect(res.status).toBe(503);
    expect(res.body.detail).toBe('A service is unavailable; try again shortly');
    expect(res.text).not.toContain('10.0.3.7');
  });
});

describe('edge validation', () => {
  it('refuses a patient registered without a gender at the edge, as the document says', async () => {
    const g = await unitGateway();
    const token = await g.issuer.sign({ role: 'front_desk' });
    const res = await rest(g.app, 'POST', '/v1/patients', {
      token,
      body: { demographics: { name: { given: ['Ada'], family: 'Okafor' }, dateOfBirth: '1985-06-15' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_ARGUMENT');
    expect((res.body.errors as { field: string }[]).map((e) => e.field)).toContain(
      'body.demographics.gender',
    );
  });
});

describe('request limits and CORS', () => {
  it('refuses a body over the limit with 413 problem+json', async () => {
    const g = await unitGateway();
    const token = await g.issuer.sign({ role: 'owner' });
    const res = await rest(g.app, 'POST', '/v1/locations', { token, body: { name: 'x'.repeat(8000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('BODY_TOO_LARGE');
  });

  it('answers preflights for configured origins only', async () => {
    const g = await unitGateway();
    const preflight = (origin: string) =>
      g.app.inject({
        method: 'OPTIONS',
        url: '/v1/appointments',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('https://staff.example.test');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://staff.example.test');
    expect(String(allowed.headers['access-control-allow-headers'])).toContain('authorization');
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
