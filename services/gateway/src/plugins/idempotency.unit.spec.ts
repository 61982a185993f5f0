import { randomUUID } from 'node:crypto';
import { makeCanaries } from '@medspa/testing';
import { describe, expect, it } from 'vitest';
import { claimValue, createMemoryIdempotencyStore, doneValue } from './idempotency-store.js';
import { harness, post } from './testing/idempotency-harness.js';

// The embedded default: the same plugin on the in-process store (the Redis store: the int spec).
describe('Idempotency-Key on the in-process store', () => {
  it('replays, refuses a concurrent duplicate and a reused key, and does not store a 5xx', async () => {
    const h = await harness(createMemoryIdempotencyStore());
    const key = randomUUID();
    const held = h.hold();
    const first = post(h.app, key, { note: 'a' });
    await held.entered;
    expect((await post(h.app, key, { note: 'a' })).json()).toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
    held.release();
    const replayed = await post(h.app, key, { note: 'a' });
    expect(replayed.body).toBe((await first).body);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect((await post(h.app, key, { note: 'b' })).statusCode).toBe(422);
    expect(h.runs()).toBe(1);

    const other = randomUUID();
    h.failNext();
    expect((await post(h.app, other, { note: 'a' })).statusCode).toBe(500);
    expect((await post(h.app, other, { note: 'a' })).statusCode).toBe(201);
    expect(h.runs()).toBe(3);
    await h.app.close();
  });

  it('never runs a request twice after the seal key changed (the answer is refused instead)', async () => {
    const store = createMemoryIdempotencyStore();
    const before = await harness(store, makeCanaries(), 'shared:');
    const after = await harness(store, makeCanaries(), 'shared:');
    const key = randomUUID();
    expect((await post(before.app, key, { note: 'a' })).statusCode).toBe(201);
    const retried = await post(after.app, key, { note: 'a' });
    // The fingerprint is keyed too, so the retry reads as another body: 422, not a second run.
    expect(retried.statusCode).toBe(422);
    expect(after.runs()).toBe(0);
    await Promise.all([before.app.close(), after.app.close()]);
  });

  it('forgets answers and claims when they expire; only the claim holder completes', async () => {
    let now = 0;
    const store = createMemoryIdempotencyStore(() => now);
    const claim = claimValue('t1', 'fp');
    expect(await store.begin('k', claim, 1_000)).toEqual({ state: 'acquired' });
    expect(await store.complete('k', claimValue('t2', 'fp'), doneValue('fp', 'x'), 5_000)).toBe(false);
    expect(await store.complete('k', claim, doneValue('fp', 'x'), 5_000)).toBe(true);
    expect(await store.begin('k', claimValue('t3', 'fp'), 1_000)).toEqual({
      state: 'done',
      fingerprint: 'fp',
      sealed: 'x',
    });
    now = 5_001;
    expect(await store.begin('k', claimValue('t4', 'fp'), 1_000)).toEqual({ state: 'acquired' });
  });
});
