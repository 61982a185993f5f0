import { once } from 'node:events';
import { redisUrl, testRedisPrefix } from '@medspa/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisSessionGuard } from './session-guard.js';

const minute = 60_000;
const redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
afterAll(async () => void (await redis.quit()));

describe('session guard (Redis)', () => {
  it('logs off after 15 idle minutes, also when Redis has forgotten the script (EVALSHA → EVAL)', async () => {
    const clock = { now: 1_000_000 };
    const g = createRedisSessionGuard(redis, {
      idleMs: 15 * minute,
      retainMs: 24 * 60 * minute,
      now: () => clock.now,
      prefix: testRedisPrefix(),
    });
    await redis.script('FLUSH');
    expect(await g.admit('s1')).toBe('active');
    clock.now += 15 * minute;
    expect(await g.admit('s1')).toBe('active');
    await redis.script('FLUSH');
    clock.now += 15 * minute + 1;
    expect(await g.admit('s1')).toBe('idle');
    expect(await g.admit('s1')).toBe('idle');
    await g.revoke('s2', minute);
    expect(await g.admit('s2')).toBe('revoked');
  });
});

describe('session guard replicas remembering recent admits', () => {
  const replicas: { guard: ReturnType<typeof createRedisSessionGuard>; subscriber: Redis }[] = [];
  afterAll(async () => {
    for (const r of replicas) {
      r.guard.close();
      r.subscriber.disconnect();
    }
  });
  const prefix = testRedisPrefix();
  const clock = { now: 5_000_000 };
  /** A gateway replica: its own subscriber, a window long enough that only an announcement can end it. */
  const replica = () => {
    const subscriber = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const guard = createRedisSessionGuard(redis, {
      idleMs: 15 * minute,
      retainMs: 24 * 60 * minute,
      now: () => clock.now,
      prefix,
      subscriber,
      recentAdmitMs: 10 * minute,
    });
    replicas.push({ guard, subscriber });
    return { guard, subscriber };
  };
  const seen = async (sid: string) => redis.get(`${prefix}session:${sid}:seen`);
  /** Admits until one is answered from memory (the subscription is up): Redis's record stops moving. */
  async function remembering(guard: ReturnType<typeof replica>['guard'], sid: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      clock.now += 1;
      expect(await guard.admit(sid)).toBe('active');
      const recorded = await seen(sid);
      clock.now += 1;
      await guard.admit(sid);
      if ((await seen(sid)) === recorded) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the replica never remembered an admit');
  }

  it('admits a session again from memory within the window, recording its activity in Redis after it', async () => {
    const a = replica();
    await remembering(a.guard, 'calm');
    const recorded = await seen('calm');
    clock.now += 60_000;
    expect(await a.guard.admit('calm')).toBe('active');
    expect(await seen('calm')).toBe(recorded);
    clock.now += 10 * minute;
    expect(await a.guard.admit('calm')).toBe('active');
    expect(await seen('calm')).toBe(String(clock.now));
  });

  it('refuses a session on every replica as soon as one of them logs it out', async () => {
    const [a, b] = [replica(), replica()];
    await remembering(a.guard, 'out');
    await remembering(b.guard, 'out');
    await a.guard.revoke('out', minute);
    expect(await a.guard.admit('out')).toBe('revoked');
    const deadline = Date.now() + 2_000;
    let verdict = await b.guard.admit('out');
    while (verdict !== 'revoked' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      verdict = await b.guard.admit('out');
    }
    expect(verdict).toBe('revoked');
  });

  it('asks Redis on every request while it cannot hear logouts', async () => {
    const b = replica();
    await remembering(b.guard, 'deaf');
    const ended = once(b.subscriber, 'end');
    b.subscriber.disconnect(); // no reconnect: the replica stays deaf
    await ended;
    // A revocation written without an announcement (as a replica that crashed mid-way would leave it).
    await redis.set(`${prefix}session:deaf:revoked`, '1', 'PX', minute);
    expect(await b.guard.admit('deaf')).toBe('revoked');
  });
});
