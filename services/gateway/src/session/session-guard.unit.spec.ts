import { describe, expect, it } from 'vitest';
import { createMemorySessionGuard } from './session-guard.js';

const minute = 60_000;

describe('session guard (in process)', () => {
  const guard = (clock: { now: number }) =>
    createMemorySessionGuard({ idleMs: 15 * minute, retainMs: 24 * 60 * minute, now: () => clock.now });

  it('keeps a session used within 15 minutes, refuses one idle longer, and it stays refused', async () => {
    const clock = { now: 0 };
    const g = guard(clock);
    expect(await g.admit('s1')).toBe('active');
    clock.now += 15 * minute;
    expect(await g.admit('s1')).toBe('active');
    clock.now += 15 * minute + 1;
    expect(await g.admit('s1')).toBe('idle');
    clock.now += 1;
    expect(await g.admit('s1')).toBe('idle');
    expect(await g.admit('s2')).toBe('active');
  });

  it('refuses a revoked session until the revocation lapses', async () => {
    const clock = { now: 0 };
    const g = guard(clock);
    await g.revoke('s1', 15 * minute);
    expect(await g.admit('s1')).toBe('revoked');
    clock.now += 15 * minute;
    expect(await g.admit('s1')).toBe('active');
  });
});

describe('session guard (Redis down)', () => {
  it('fails closed with 503 SESSION_STORE_UNAVAILABLE, not a 500', async () => {
    const { createRedisSessionGuard } = await import('./session-guard.js');
    const down = {
      eval: () => Promise.reject(new Error('ECONNREFUSED')),
      evalsha: () => Promise.reject(new Error('ECONNREFUSED')),
      set: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const g = createRedisSessionGuard(down as never, { idleMs: 1, retainMs: 1 });
    await expect(g.admit('s1')).rejects.toMatchObject({
      kind: 'unavailable',
      reason: 'SESSION_STORE_UNAVAILABLE',
    });
    await expect(g.revoke('s1', 1)).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
