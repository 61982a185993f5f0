import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { testRedisPrefix } from '@medspa/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byAccountInBody, byClientIp, registerRateLimits, type RateLimitOptions } from './rate-limit.js';
import { createRedisWindowCounter } from './rate-limit-window.js';
import { absentRedis, dumpRedis, secret, testApp, testRedis } from './testing/test-app.js';

const SIGN_IN = '/v1/auth/sign-in';
const TENANT = randomUUID();

async function appWith(
  options: Omit<RateLimitOptions, 'keySecret' | 'counter'> & { redis: Redis },
): Promise<FastifyInstance> {
  const app = testApp();
  const { redis, ...rest } = options;
  registerRateLimits(app, { keySecret: secret(), counter: createRedisWindowCounter(redis), ...rest });
  app.get('/v1/things', async () => ({ ok: true }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post(SIGN_IN, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const signInLimits = (windowMs = 60_000): RateLimitOptions['routes'] => [
  {
    method: 'POST',
    url: SIGN_IN,
    limits: [
      { name: 'ip', limit: 5, windowMs, keyOf: byClientIp },
      { name: 'account', limit: 3, windowMs, keyOf: byAccountInBody('tenantId', 'email') },
    ],
  },
];

const signIn = (app: FastifyInstance, ip: string, email: string) =>
  app.inject({
    method: 'POST',
    url: SIGN_IN,
    remoteAddress: ip,
    payload: { tenantId: TENANT, email, password: 'x' },
  });

describe('rate limits (real Redis)', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = testRedis();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('refuses a client over its default limit with 429 problem+json and Retry-After, others unaffected', async () => {
    const prefix = testRedisPrefix();
    const app = await appWith({ redis, prefix, perClient: { limit: 3, windowMs: 60_000 } });
    for (let i = 0; i < 3; i += 1) {
      const ok = await app.inject({ url: '/v1/things', remoteAddress: '10.0.0.1' });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const refused = await app.inject({ url: '/v1/things', remoteAddress: '10.0.0.1' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await app.inject({ url: '/v1/things', remoteAddress: '10.0.0.2' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
    await app.close();
  });

  it('opens again when the window has passed', async () => {
    const app = await appWith({ redis, prefix: testRedisPrefix(), perClient: { limit: 1, windowMs: 300 } });
    expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(200);
    await app.close();
  });

  it('limits sign-in per account across many IPs (a distributed attack on one account)', async () => {
    const app = await appWith({
      redis,
      prefix: testRedisPrefix(),
      perClient: { limit: 1000, windowMs: 60_000 },
      routes: signInLimits(),
    });
    for (let i = 1; i <= 3; i += 1) {
      expect((await signIn(app, `10.1.0.${i}`, 'Victim@Example.com')).statusCode).toBe(200);
    }
    const refused = await signIn(app, '10.1.0.9', ' victim@example.com ');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.headers['retry-after']).toBeDefined();
    expect((await signIn(app, '10.1.0.9', 'someone.else@example.com')).statusCode).toBe(200);
    await app.close();
  });

  it('limits sign-in per IP across many accounts (credential stuffing from one client)', async () => {
    const app = await appWith({
      redis,
      prefix: testRedisPrefix(),
      perClient: { limit: 1000, windowMs: 60_000 },
      routes: signInLimits(),
    });
    for (let i = 1; i <= 5; i += 1) {
      expect((await signIn(app, '10.2.0.1', `user${i}@example.com`)).statusCode).toBe(200);
    }
    expect((await signIn(app, '10.2.0.1', 'user6@example.com')).statusCode).toBe(429);
    expect((await signIn(app, '10.2.0.2', 'user6@example.com')).statusCode).toBe(200);
    await app.close();
  });

  it('keeps raw IPs and account names out of Redis', async () => {
    const prefix = testRedisPrefix();
    const app = await appWith({
      redis,
      prefix,
      perClient: { limit: 1000, windowMs: 60_000 },
      routes: signInLimits(),
    });
    await signIn(app, '10.3.0.77', 'canary.account@example.com');
    const stored = await dumpRedis(redis, prefix);
    expect(stored).toContain(prefix);
    expect(stored).not.toContain('10.3.0.77');
    expect(stored.toLowerCase()).not.toContain('canary.account');
    await app.close();
  });

  it('fails open on the default limit and closed on auth routes when Redis is down', async () => {
    const down = absentRedis();
    const app = await appWith({
      redis: down,
      prefix: testRedisPrefix(),
      perClient: { limit: 1, windowMs: 60_000 },
      routes: signInLimits(),
    });
    expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(200);
    const refused = await signIn(app, '10.4.0.1', 'a@example.com');
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMIT_UNAVAILABLE' });
    await app.close();
    down.disconnect();
  });

  describe('with a Redis that accepts connections but never answers', () => {
    let silent: Server;
    let port: number;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      silent = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      port = (silent.address() as AddressInfo).port;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('gives up after storeTimeoutMs and applies the failure mode', async () => {
      const hanging = new Redis({
        port,
        host: '127.0.0.1',
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      const app = await appWith({
        redis: hanging,
        prefix: testRedisPrefix(),
        storeTimeoutMs: 100,
        perClient: { limit: 1, windowMs: 60_000 },
        routes: signInLimits(),
      });
      const started = Date.now();
      expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(200);
      expect((await signIn(app, '10.5.0.1', 'b@example.com')).statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(2_000);
      await app.close();
      hanging.disconnect();
    });
  });
});
