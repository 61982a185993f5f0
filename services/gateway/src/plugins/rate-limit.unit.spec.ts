import { describe, expect, it } from 'vitest';
import { registerRateLimits } from './rate-limit.js';
import { createMemoryWindowCounter } from './rate-limit-window.js';
import { secret, testApp } from './testing/test-app.js';

// The embedded default: the same limits on the in-process counter (the Redis counter: the int spec).
describe('rate limits on the in-process counter', () => {
  it('counts per key within a fixed window and starts again after it', async () => {
    let now = 1_000;
    const counter = createMemoryWindowCounter(() => now);
    const charge = () => counter.charge([{ key: 'a', limit: 2, windowMs: 500 }]);
    expect(await charge()).toEqual([{ count: 1, resetMs: 500 }]);
    now += 200;
    expect(await charge()).toEqual([{ count: 2, resetMs: 300 }]);
    expect(await counter.charge([{ key: 'b', limit: 2, windowMs: 500 }])).toEqual([
      { count: 1, resetMs: 500 },
    ]);
    now += 300;
    expect(await charge()).toEqual([{ count: 1, resetMs: 500 }]);
  });

  it('refuses with 429 RATE_LIMITED and Retry-After', async () => {
    const app = testApp();
    registerRateLimits(app, {
      counter: createMemoryWindowCounter(),
      keySecret: secret(),
      perClient: { limit: 1, windowMs: 60_000 },
    });
    app.get('/v1/things', async () => ({ ok: true }));
    expect((await app.inject({ url: '/v1/things' })).statusCode).toBe(200);
    const refused = await app.inject({ url: '/v1/things' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.headers['retry-after']).toBe('60');
    await app.close();
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() =>
      registerRateLimits(testApp(), {
        counter: createMemoryWindowCounter(),
        keySecret: Buffer.alloc(16),
        perClient: { limit: 1, windowMs: 1 },
      }),
    ).toThrow(RangeError);
  });
});
