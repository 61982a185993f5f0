import { describe, expect, it } from 'vitest';
import { StreamStateCache } from './state-cache.js';

describe('StreamStateCache', () => {
  it('gives an entry back only to the tenant it was stored for', () => {
    const cache = new StreamStateCache<string>(10);
    cache.set('calendar-1', { tenantId: 'a', state: 'busy', version: 3 });
    expect(cache.get('a', 'calendar-1')).toEqual({ tenantId: 'a', state: 'busy', version: 3 });
    expect(cache.get('b', 'calendar-1')).toBeUndefined();
  });

  it('drops the entry stored longest ago beyond its bound, and forgets on demand', () => {
    const cache = new StreamStateCache<number>(2);
    cache.set('x', { tenantId: 't', state: 1, version: 1 });
    cache.set('y', { tenantId: 't', state: 2, version: 1 });
    cache.set('x', { tenantId: 't', state: 3, version: 2 });
    cache.set('z', { tenantId: 't', state: 4, version: 1 });
    expect(cache.get('t', 'y')).toBeUndefined();
    expect(cache.get('t', 'x')?.state).toBe(3);
    cache.forget(['x', 'nothing']);
    expect(cache.get('t', 'x')).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
