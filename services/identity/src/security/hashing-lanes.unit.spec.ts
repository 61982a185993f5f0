import { describe, expect, it } from 'vitest';
import { createHashingLanes } from './hashing-lanes.js';

describe('hashing lanes', () => {
  it('runs at most `lanes` at once and starts the rest in arrival order, also after a failure', async () => {
    const inLane = createHashingLanes(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (i: number) =>
      inLane(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        if (i === 1) throw new Error('bad hash');
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(job));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(await job(6)).toBe(6); // every lane was given back
  });
});
