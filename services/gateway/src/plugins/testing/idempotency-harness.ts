import { randomUUID } from 'node:crypto';
import { makeCanaries } from '@medspa/testing';
import type { FastifyInstance } from 'fastify';
import { registerIdempotency, type IdempotencyOptions } from '../idempotency.js';
import type { IdempotencyStore } from '../idempotency-store.js';
import { secret, testApp } from './test-app.js';

// The tests name the caller in headers; in the gateway `identify` reads the verified token.
const identify: IdempotencyOptions['identify'] = async (request) => {
  const tenantId = request.headers['x-test-tenant'];
  const userId = request.headers['x-test-user'];
  return typeof tenantId === 'string' && typeof userId === 'string' ? { tenantId, userId } : undefined;
};

export interface Harness {
  app: FastifyInstance;
  prefix: string;
  runs: () => number;
  /** Makes the next handler run wait until `release()`; resolves once it is waiting. */
  hold: () => { entered: Promise<void>; release: () => void };
  failNext: () => void;
}

export async function harness(
  store: IdempotencyStore,
  patient = makeCanaries(),
  prefix = `test:${randomUUID()}:`,
): Promise<Harness> {
  const app = testApp();
  registerIdempotency(app, { store, sealKey: secret(), identify, prefix });
  let runs = 0;
  let failing = false;
  let gate: { entered: () => void; wait: Promise<void> } | undefined;
  app.post('/v1/patients', async (request, reply) => {
    runs += 1;
    if (gate !== undefined) {
      const { entered, wait } = gate;
      gate = undefined;
      entered();
      await wait;
    }
    if (failing) {
      failing = false;
      throw new Error('database down');
    }
    const id = randomUUID();
    return reply
      .code(201)
      .header('location', `/v1/patients/${id}`)
      .send({ id, givenName: patient.givenName, phone: patient.phone, echo: request.body });
  });
  await app.ready();
  return {
    app,
    prefix,
    runs: () => runs,
    failNext: () => {
      failing = true;
    },
    hold: () => {
      let entered!: () => void;
      let release!: () => void;
      const enteredP = new Promise<void>((resolve) => (entered = resolve));
      const wait = new Promise<void>((resolve) => (release = resolve));
      gate = { entered, wait };
      return { entered: enteredP, release };
    },
  };
}

export const caller = { 'x-test-tenant': randomUUID(), 'x-test-user': randomUUID() };
export const post = (app: FastifyInstance, key: string | undefined, body: object, who = caller) =>
  app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: { ...who, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    payload: body,
  });
