import { randomUUID } from 'node:crypto';
import { findCanariesInText, makeCanaries } from '@medspa/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisIdempotencyStore } from './idempotency-store.js';
import { caller, harness, post } from './testing/idempotency-harness.js';
import { absentRedis, dumpRedis, testRedis } from './testing/test-app.js';

describe('Idempotency-Key (real Redis)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('replays the first answer (status, body, headers) and runs the handler once', async () => {
    const h = await harness(createRedisIdempotencyStore(redis));
    const key = randomUUID();
    const first = await post(h.app, key, { note: 'a' });
    const again = await post(h.app, key, { note: 'a' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(h.runs()).toBe(1);
    const ttl = await redis.pttl((await redis.keys(`${h.prefix}*`))[0] ?? '');
    expect(ttl).toBeGreaterThan(23 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600_000);
    await h.app.close();
  });

  it('answers a concurrent duplicate with 409 IDEMPOTENCY_IN_PROGRESS', async () => {
    const h = await harness(createRedisIdempotencyStore(redis));
    const key = randomUUID();
    const held = h.hold();
    const first = post(h.app, key, { note: 'a' });
    await held.entered;
    const duplicate = await post(h.app, key, { note: 'a' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.headers['content-type']).toContain('application/problem+json');
    expect(duplicate.json()).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    held.release();
    expect((await first).statusCode).toBe(201);
    const replayed = await post(h.app, key, { note: 'a' });
    expect(replayed.body).toBe((await first).body);
    expect(h.runs()).toBe(1);
    await h.app.close();
  });

  it('refuses the same key with another body: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const h = await harness(createRedisIdempotencyStore(redis));
    const key = randomUUID();
    expect((await post(h.app, key, { note: 'a' })).statusCode).toBe(201);
    const reused = await post(h.app, key, { note: 'b' });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(h.runs()).toBe(1);
    await h.app.close();
  });

  it('does not store a 5xx, so a retry runs again', async () => {
    const h = await harness(createRedisIdempotencyStore(redis));
    const key = randomUUID();
    h.failNext();
    expect((await post(h.app, key, { note: 'a' })).statusCode).toBe(500);
    const retry = await post(h.app, key, { note: 'a' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(h.runs()).toBe(2);
    await h.app.close();
  });

  it('scopes keys to the caller: another user or tenant with the same key runs its own request', async () => {
    const h = await harness(createRedisIdempotencyStore(redis));
    const key = randomUUID();
    const mine = await post(h.app, key, { note: 'a' });
    const otherUser = await post(h.app, key, { note: 'a' }, { ...caller, 'x-test-user': randomUUID() });
    const otherTenant = await post(h.app, key, { note: 'a' }, { ...caller, 'x-test-tenant': randomUUID() });
    expect(otherUser.headers['idempotent-replayed']).toBeUndefined();
    expect(otherTenant.headers['idempotent-replayed']).toBeUndefined();
    expect(new Set([mine.body, otherUser.body, otherTenant.body]).size).toBe(3);
    expect(h.runs()).toBe(3);
    await h.app.close();
  });

  it('ignores requests without a key, and refuses a malformed key', async () => {
    const h = await harness(createRedisIdempotencyStore(redis));
    await post(h.app, undefined, { note: 'a' });
    await post(h.app, undefined, { note: 'a' });
    expect(h.runs()).toBe(2);
    const bad = await post(h.app, 'has spaces in it', { note: 'a' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
    await h.app.close();
  });

  it('keeps PHI out of Redis in plain text (canary patient in request and response)', async () => {
    const patient = makeCanaries();
    const h = await harness(createRedisIdempotencyStore(redis), patient);
    const key = `key-${patient.mrn}`;
    const answer = await post(h.app, key, { note: patient.note, email: patient.email });
    expect(findCanariesInText(answer.body, patient).length).toBeGreaterThan(0);
    const stored = await dumpRedis(redis, h.prefix);
    expect(stored).toContain(h.prefix);
    expect(findCanariesInText(stored, patient, 'redis')).toEqual([]);
    await h.app.close();
  });

  it('refuses a keyed request with 503 when Redis is down, rather than run it unprotected', async () => {
    const down = absentRedis();
    const h = await harness(createRedisIdempotencyStore(down));
    const refused = await post(h.app, randomUUID(), { note: 'a' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'IDEMPOTENCY_UNAVAILABLE' });
    expect(h.runs()).toBe(0);
    expect((await post(h.app, undefined, { note: 'a' })).statusCode).toBe(201);
    await h.app.close();
    down.disconnect();
  });
});
