import { afterEach, describe, expect, it, vi } from 'vitest';
import { emit, emitComparisons } from './emit.js';

function captureLines(): { lines: () => Record<string, unknown>[] } {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return {
    lines: () => out.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>),
  };
}

describe('emit', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON object per line, value rounded, with the load average in params', () => {
    const capture = captureLines();
    emit({ name: 'replay', value: 123_456.789, unit: 'events/s', params: { events: 10 } });
    const [line] = capture.lines();
    expect(line).toMatchObject({ name: 'replay', value: 123_460, unit: 'events/s', params: { events: 10 } });
    expect(line).not.toHaveProperty('baseline');
    expect(typeof (line?.params as { load1: unknown }).load1).toBe('number');
  });

  it('prints a comparison once per baseline with value ÷ baseline, skipping a baseline without a figure', () => {
    const capture = captureLines();
    emitComparisons(
      { name: 'append.single.8w', value: 3000, unit: 'events/s' },
      { emmett: 2000, raw_insert: 4000, broken: 0, missing: undefined },
    );
    expect(capture.lines().map((l) => [l.baseline, l.ratio])).toEqual([
      ['emmett', 1.5],
      ['raw_insert', 0.75],
    ]);
  });
});
