import { randomUUID } from 'node:crypto';
import { createTokenVerifier, type Role } from '@medspa/auth';
import { errors } from '@medspa/errors';
import { ACCESS_EVENT_TYPE, eventsTopic, type IncomingMessage, type MessageHandler } from '@medspa/messaging';
import {
  createTestIssuer,
  findCanariesInText,
  makeCanaries,
  testRedisPrefix,
  type TestIssuer,
} from '@medspa/testing';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import cors from '@fastify/cors';
import { testApp, testRedis } from '../plugins/testing/test-app.js';
import { createRedisSignalBus } from './redis-signal-bus.js';
import type { SignalBus } from './signal-bus.js';
import { signalFeed } from './signal-feed.js';
import { signalsRoutes, type SignalsRouteOptions } from './signals-route.js';
import { openSse, type SseStream } from './testing/sse-client.js';

const patient = makeCanaries();
type Tx = Parameters<MessageHandler>[1];

/** An integration event as the consumer hands it over, with PHI canaries everywhere but the key. */
function message(tenantId: string, type: string, key: string, service = 'scheduling'): IncomingMessage {
  return {
    messageId: randomUUID(),
    topic: eventsTopic(service),
    key,
    type,
    envelope: {
      eventId: randomUUID(),
      eventType: type,
      tenantId,
      actorId: randomUUID(),
      actorRole: 'front_desk',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date(),
      traceparent: '',
    },
    headers: { 'x-note': patient.note, 'x-phone': patient.phone },
    payload: Buffer.from(JSON.stringify(patient)),
    transport: 'kafka',
    attempt: 1,
  };
}

interface Replica {
  app: FastifyInstance;
  url: string;
  bus: SignalBus;
  subscriber: Redis;
}

describe('GET /v1/signals (real Redis, real tokens)', () => {
  let issuer: TestIssuer;
  let redis: Redis;
  let authenticate: SignalsRouteOptions['authenticate'];
  const prefix = testRedisPrefix();
  const replicas: Replica[] = [];

  async function replica(extra: Partial<SignalsRouteOptions> = {}, origins?: string[]): Promise<Replica> {
    const subscriber = testRedis();
    const bus = createRedisSignalBus({ publisher: redis, subscriber, prefix });
    const app = testApp();
    if (origins !== undefined) await app.register(cors, { origin: origins });
    await app.register(signalsRoutes({ bus, authenticate, ...extra }));
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/v1/signals`;
    const r = { app, url, bus, subscriber };
    replicas.push(r);
    return r;
  }

  beforeAll(async () => {
    issuer = await createTestIssuer();
    redis = testRedis();
    const verifier = createTokenVerifier(issuer.verifierOptions());
    authenticate = async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      if (header?.startsWith('Bearer ') !== true) throw errors.unauthenticated('TOKEN_MISSING', 'Sign in');
      return verifier.verify(header.slice('Bearer '.length));
    };
  });
  afterAll(async () => {
    for (const r of replicas) {
      await r.app.close();
      await r.bus.close();
      await r.subscriber.quit();
    }
    await redis.quit();
  });

  const stream = async (r: Replica, tenantId: string, role: Role): Promise<SseStream> => {
    const s = await openSse(r.url, await issuer.sign({ tenantId, role }));
    await s.until((text) => text.startsWith('retry:'));
    return s;
  };

  it('carries {type, id} only, across replicas, and no PHI', async () => {
    const [a, b] = [await replica(), await replica()];
    const tenantId = randomUUID();
    const s = await stream(b, tenantId, 'front_desk');
    expect(s.status).toBe(200);
    expect(s.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const appointmentId = randomUUID();
    // Published on replica a's bus (its consumer got the event); the stream is on replica b.
    await signalFeed(a.bus)(
      message(tenantId, 'medspa.scheduling.v1.AppointmentBooked', appointmentId),
      {} as Tx,
    );
    await s.until((text) => text.includes(appointmentId));
    expect(s.events()).toEqual([{ type: 'appointment.booked', id: appointmentId }]);
    expect(findCanariesInText(s.text(), patient, 'sse')).toEqual([]);
    expect(s.text()).not.toContain('scheduling');
    expect(s.text()).not.toContain(tenantId);
    s.close();
  });

  it('tells each caller only its tenant and what its role may read; patients get none', async () => {
    const r = await replica();
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const desk = await stream(r, tenantA, 'front_desk');
    const provider = await stream(r, tenantA, 'provider');
    const patientStream = await stream(r, tenantA, 'patient');
    const otherTenant = await stream(r, tenantB, 'front_desk');
    const feed = signalFeed(r.bus);
    const [elsewhere, chart, marker] = [randomUUID(), randomUUID(), randomUUID()];
    await feed(message(tenantB, 'medspa.scheduling.v1.AppointmentCancelled', elsewhere), {} as Tx);
    await feed(message(tenantA, ACCESS_EVENT_TYPE, randomUUID(), 'patient-record'), {} as Tx);
    await feed(
      message(tenantA, 'medspa.patient_record.v1.ChartEntryRecorded', chart, 'patient-record'),
      {} as Tx,
    );
    await feed(message(tenantA, 'medspa.identity.v1.UserSignInFailed', randomUUID(), 'identity'), {} as Tx);
    await feed(message(tenantA, 'medspa.scheduling.v1.AppointmentCheckedIn', marker), {} as Tx);
    await desk.until((text) => text.includes(marker));
    await provider.until((text) => text.includes(marker));
    await otherTenant.until((text) => text.includes(elsewhere));
    expect(desk.events()).toEqual([{ type: 'appointment.checked_in', id: marker }]);
    expect(provider.events()).toEqual([
      { type: 'chart.entry_recorded', id: chart },
      { type: 'appointment.checked_in', id: marker },
    ]);
    expect(otherTenant.events()).toEqual([{ type: 'appointment.cancelled', id: elsewhere }]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(patientStream.events()).toEqual([]);
    for (const s of [desk, provider, patientStream, otherTenant]) s.close();
  });

  it('refuses a missing or forged token with 401 problem+json', async () => {
    const r = await replica();
    const missing = await openSse(r.url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const stranger = await createTestIssuer();
    const forged = await openSse(r.url, await stranger.sign());
    expect(forged.status).toBe(401);
  });

  it('keeps the CORS headers set by hooks on the hand-written stream', async () => {
    const origin = 'https://staff.medspa.test';
    const r = await replica({}, [origin]);
    const token = await issuer.sign({ role: 'front_desk' });
    const response = await fetch(r.url, { headers: { authorization: `Bearer ${token}`, origin } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    await response.body?.cancel();
  });

  it('sends heartbeats, ends the stream after maxStreamMs, and unsubscribes on disconnect', async () => {
    const r = await replica({ heartbeatMs: 50, maxStreamMs: 400 });
    const tenantId = randomUUID();
    const channel = `${prefix}${tenantId}`;
    const numsub = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);

    const expiring = await stream(r, tenantId, 'manager');
    await expiring.until((text) => text.includes(': heartbeat'));
    await expiring.ended;

    const s = await stream(r, tenantId, 'manager');
    expect(r.bus.listenerCount(tenantId)).toBe(1);
    await expect.poll(numsub).toBe(1);
    s.close();
    await expect.poll(() => r.bus.listenerCount(tenantId)).toBe(0);
    await expect.poll(numsub).toBe(0);
  });
});
