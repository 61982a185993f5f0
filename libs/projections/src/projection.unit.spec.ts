import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@medspa/eventstore';
import { tenantRuns } from './apply-events.js';
import { handles } from './projection.js';
import { backoffDelay } from './sleep.js';
import { StallClock } from './stall.js';

const event = (eventId: string, tenantId: string, type = 'AmountRecorded') =>
  ({ eventId, type, metadata: { tenantId } }) as unknown as RecordedEvent;

describe('tenantRuns', () => {
  it('groups the batch by tenant and keeps log order within each tenant', () => {
    const runs = tenantRuns([
      event('1', 'a'),
      event('2', 'a'),
      event('3', 'b'),
      event('4', 'a'),
      event('5', 'b'),
    ]);
    expect(runs.map((r) => r.map((e) => e.eventId))).toEqual([
      ['1', '2', '4'],
      ['3', '5'],
    ]);
    expect(tenantRuns([])).toEqual([]);
  });
});

describe('handles', () => {
  it('takes every event without eventTypes, else only the listed types', () => {
    expect(handles({}, event('1', 'a', 'X'))).toBe(true);
    expect(handles({ eventTypes: ['Y'] }, event('1', 'a', 'X'))).toBe(false);
  });
});

describe('StallClock', () => {
  it('counts time held back without progress and warns once per threshold', () => {
    const clock = new StallClock(1000);
    clock.observe(true, false, 0);
    expect(clock.heldBackMs(600)).toBe(600);
    expect(clock.shouldWarn(600)).toBe(false);
    expect(clock.shouldWarn(1000)).toBe(true);
    expect(clock.shouldWarn(1500)).toBe(false);
    expect(clock.shouldWarn(2000)).toBe(true);
    clock.observe(true, false, 2100); // still the same stall
    expect(clock.heldBackMs(2100)).toBe(2100);
    clock.observe(true, true, 2200); // delivered events: progress ends the stall
    expect(clock.heldBackMs(2300)).toBe(0);
    clock.observe(false, false, 2400);
    expect(clock.shouldWarn(99_999)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the ceiling, jittering the upper half', () => {
    const b = { initialMs: 100, maxMs: 1000 };
    for (let i = 0; i < 50; i++) {
      expect(backoffDelay(b, 1)).toBeGreaterThanOrEqual(50);
      expect(backoffDelay(b, 1)).toBeLessThanOrEqual(100);
      expect(backoffDelay(b, 3)).toBeGreaterThanOrEqual(200);
      expect(backoffDelay(b, 40)).toBeLessThanOrEqual(1000);
      expect(backoffDelay(b, 40)).toBeGreaterThanOrEqual(500);
    }
  });
});
