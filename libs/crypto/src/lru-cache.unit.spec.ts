import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const cache = new LruCache<string, number>({ maxEntries: 2, ttlMs: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.size).toBe(2);
  });

  it('keeps an entry read often, however many others come and go', () => {
    const cache = new LruCache<string, number>({ maxEntries: 100, ttlMs: 1000 });
    cache.set('hot', 0);
    for (let i = 0; i < 1000; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get('hot')).toBe(0);
    }
    expect(cache.size).toBe(100);
    expect(cache.get('cold-899')).toBeUndefined();
    expect(cache.get('cold-999')).toBe(999);
  });

  it('reads one hot key of a large cache in constant time', () => {
    const cache = new LruCache<number, number>({ maxEntries: 20_000, ttlMs: 60_000 });
    for (let i = 0; i < 20_000; i++) cache.set(i, i);
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) cache.get(7);
    // Deleting and re-adding the key on every read took ~120 µs a read (12 s here).
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('evicts oldest first across deletions and re-insertions between evictions', () => {
    const cache = new LruCache<string, number>({ maxEntries: 3, ttlMs: 1000 });
    for (const k of ['a', 'b', 'c', 'd']) cache.set(k, 0); // a evicted
    cache.delete('c');
    cache.set('e', 0); // b, d, e: within the bound
    cache.set('b', 1); // b is now the newest: d, e, b
    cache.set('f', 0); // d evicted
    cache.set('g', 0); // e evicted
    expect(['a', 'b', 'c', 'd', 'e', 'f', 'g'].filter((k) => cache.peek(k) !== undefined)).toEqual([
      'b',
      'f',
      'g',
    ]);
  });

  it('adds to a full cache in constant time', () => {
    const cache = new LruCache<number, number>({ maxEntries: 20_000, ttlMs: 60_000 });
    const started = performance.now();
    for (let i = 0; i < 300_000; i++) cache.set(i, i);
    // A fresh iterator per eviction stepped over up to ~13,000 evicted entries each (~4 s here).
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(cache.size).toBe(20_000);
    expect(cache.peek(280_000)).toBe(280_000);
    expect(cache.peek(279_999)).toBeUndefined();
  });

  it('expires entries after the TTL', () => {
    let now = 0;
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 100, now: () => now });
    cache.set('a', 1);
    now = 99;
    expect(cache.peek('a')).toBe(1);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops entries by key predicate', () => {
    const cache = new LruCache<string, number>({ maxEntries: 10, ttlMs: 100 });
    cache.set('t1/a', 1);
    cache.set('t1/b', 2);
    cache.set('t2/a', 3);
    cache.deleteWhere((k) => k.startsWith('t1/'));
    expect(cache.size).toBe(1);
  });
});
