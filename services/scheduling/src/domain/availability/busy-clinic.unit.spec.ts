import { describe, expect, it } from 'vitest';
import { BUSY_CLINIC, busyClinic } from './fixtures/busy-clinic.js';
import { naiveSearch } from './fixtures/naive-search.js';
import { searchAvailability } from './search.js';

// The benchmark's shape (30 days × 20 providers × 10 rooms, 10 000 appointments, first page of
// 500), checked for correctness only: timing belongs to bench/, not to a unit test.

describe('availability search on a busy clinic', () => {
  const q = busyClinic();

  it('is built to the benchmark shape', () => {
    const appointments = q.busy.filter((b) => b.resourceKind === 'provider');
    expect(appointments).toHaveLength(BUSY_CLINIC.appointments);
    expect(q.providers).toHaveLength(20);
    expect(q.rooms).toHaveLength(10);
    expect(q.fromDate).toBe('2026-10-19');
    expect(q.toDate).toBe('2026-11-17');
  });

  it('returns exactly the first 500 slots the naive reference finds', () => {
    const expected = naiveSearch(q);
    const result = searchAvailability(q);
    expect(result.slots).toHaveLength(500);
    expect(result.slots).toEqual(expected.slice(0, 500));
    expect(result.hasMore).toBe(expected.length > 500);
  }, 60_000);

  it('scans the whole range for one provider', () => {
    const one = { ...q, providerId: q.providers[3]!.providerId };
    const result = searchAvailability(one);
    expect(result.slots).toEqual(naiveSearch(one));
    expect(result.hasMore).toBe(false);
    expect(result.slots.length).toBeGreaterThan(0);
  }, 60_000);
});
