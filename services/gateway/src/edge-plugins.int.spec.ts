/* eslint-disable @typescript-eslint/no-unsafe-member-access -- test code walks parsed JSON bodies; a wrong path fails the assertion */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from './testing/platform.js';
import { rest } from './testing/rest.js';
import { signInThroughRest } from './testing/sign-in.js';

// The edge plugins as buildGateway wires them, through the real route table and services:
// Idempotency-Key on a booking (Redis store), and /v1/signals fed from scheduling's outbox.
let p: Platform;
let baseUrl: string;
beforeAll(async () => {
  p = await startPlatform({ audit: false, signals: true });
  await p.gateway.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(p.gateway.server.address() as AddressInfo).port}`;
});
afterAll(async () => p?.close());

const everyDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '18:00' }));
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

/** A location, a provider working every day, a treatment, and tomorrow's first free slot. */
async function bookable(token: string) {
  const location = await rest(p.gateway, 'POST', '/v1/locations', {
    token,
    body: { name: 'Midtown', timeZone: 'America/New_York', openingHours: everyDay },
  });
  const locationId = location.body.locationId as string;
  const provider = await rest(p.gateway, 'POST', '/v1/providers', {
    token,
    body: { roles: ['registered_nurse'], calendarTimeZone: 'America/New_York' },
  });
  const providerId = provider.body.providerId as string;
  await rest(p.gateway, 'PUT', `/v1/providers/${providerId}/working-hours`, {
    token,
    body: { locationId, hours: everyDay },
  });
  const treatment = await rest(p.gateway, 'POST', '/v1/treatments', {
    token,
    body: { name: 'Consultation', durationMinutes: 30, price: { amountMinor: 5000, currency: 'USD' } },
  });
  const treatmentId = treatment.body.treatmentId as string;
  await p.catchUp();
  const date = tomorrow();
  const slots = await rest(
    p.gateway,
    'GET',
    `/v1/availability?locationId=${locationId}&treatmentId=${treatmentId}&fromDate=${date}&toDate=${date}`,
    { token },
  );
  expect(slots.status).toBe(200);
  const slot = slots.body.slots[0] as { start: string; providerId: string };
  return { locationId, treatmentId, providerId: slot.providerId, start: slot.start };
}

/** Reads an SSE stream until `until` holds for one of its `data:` events (or the time runs out). */
async function readSignals(
  token: string,
  until: (event: { type: string; id: string }) => boolean,
  opened: () => Promise<void>,
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 15_000);
  const response = await fetch(`${baseUrl}/v1/signals`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { type: string; id: string }[] = [];
  let buffer = '';
  let triggered = false;
  try {
    for (;;) {
      const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
      if (chunk.done) break;
      const value = chunk.value;
      buffer += decoder.decode(value, { stream: true });
      if (!triggered && buffer.includes('retry:')) {
        triggered = true;
        await opened();
      }
      for (const line of buffer.split('\n')) {
        if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as { type: string; id: string });
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (events.some(until)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('the edge plugins wired into the gateway', () => {
  it('answers a retried booking with the same Idempotency-Key from the first answer, booking once', async () => {
    const { tokens } = await signInThroughRest(p);
    const token = tokens.accessToken!;
    const { locationId, treatmentId, providerId, start } = await bookable(token);
    const patientId = randomUUID();
    const key = randomUUID();
    const book = () =>
      rest(p.gateway, 'POST', '/v1/appointments', {
        token,
        headers: { 'idempotency-key': key },
        body: { patientId, locationId, treatmentId, providerId, start },
      });
    const first = await book();
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retried = await book();
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    expect(retried.body).toEqual(first.body);

    // Booked once: the patient has one appointment, and the slot is taken (a fresh key conflicts).
    await p.catchUp();
    const listed = await rest(p.gateway, 'GET', `/v1/patients/${patientId}/appointments`, { token });
    expect(listed.status).toBe(200);
    type Listed = { appointmentId: string }[] | undefined;
    const all = [...((listed.body.upcoming as Listed) ?? []), ...((listed.body.past as Listed) ?? [])];
    expect(all.map((a) => a.appointmentId)).toEqual([first.body.appointment.appointmentId]);
    const again = await rest(p.gateway, 'POST', '/v1/appointments', {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: { patientId, locationId, treatmentId, providerId, start },
    });
    expect(again.status).toBe(409);

    // The same key with another body is refused rather than replayed.
    const reused = await rest(p.gateway, 'POST', '/v1/appointments', {
      token,
      headers: { 'idempotency-key': key },
      body: { patientId: randomUUID(), locationId, treatmentId, providerId, start },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The rate limit's headers are on every answer (the CORS layer exposes them).
    expect(first.headers['ratelimit-limit']).toBe('1000000');
  });

  it('signals {type: appointment.booked, id} on GET /v1/signals when an appointment is booked', async () => {
    const { tokens } = await signInThroughRest(p);
    const token = tokens.accessToken!;
    const { locationId, treatmentId, providerId, start } = await bookable(token);
    let appointmentId = '';
    const events = await readSignals(
      token,
      (e) => e.type === 'appointment.booked' && e.id === appointmentId,
      async () => {
        const booked = await rest(p.gateway, 'POST', '/v1/appointments', {
          token,
          body: { patientId: randomUUID(), locationId, treatmentId, providerId, start },
        });
        expect(booked.status).toBe(201);
        appointmentId = booked.body.appointment.appointmentId as string;
      },
    );
    expect(events).toContainEqual({ type: 'appointment.booked', id: appointmentId });
    // {type, id} only: nothing about the patient travels on the stream.
    for (const event of events) expect(Object.keys(event).sort()).toEqual(['id', 'type']);
  });
});
