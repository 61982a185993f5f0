import { describe, expect, it } from 'vitest';
import { percentile, perSecond, ratio, roundSignificant, summarizeLatencies } from './stats.js';

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('interpolates between the closest ranks, as numpy does by default', () => {
    expect(percentile(oneToHundred, 50)).toBeCloseTo(50.5);
    expect(percentile(oneToHundred, 99)).toBeCloseTo(99.01);
    expect(percentile([10, 20], 25)).toBeCloseTo(12.5);
  });

  it('gives the extremes at 0 and 100, and the value itself for one sample', () => {
    expect(percentile(oneToHundred, 0)).toBe(1);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });

  it('does not depend on the order of the samples, nor reorder them', () => {
    const shuffled = [5, 1, 4, 2, 3];
    expect(percentile(shuffled, 50)).toBe(3);
    expect(shuffled).toEqual([5, 1, 4, 2, 3]);
    expect(percentile(Float64Array.from([3, 1, 2]), 100)).toBe(3);
  });

  it('refuses no samples and percentiles outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
    expect(() => percentile([1], Number.NaN)).toThrow(/0\.\.100/);
  });
});

describe('ratio', () => {
  it('divides by the baseline and rounds to 3 decimals', () => {
    expect(ratio(3000, 2000)).toBe(1.5);
    expect(ratio(1, 3)).toBe(0.333);
    expect(ratio(2, 3)).toBe(0.667);
  });

  it('is undefined rather than Infinity or NaN when the baseline cannot divide', () => {
    expect(ratio(5, 0)).toBeUndefined();
    expect(ratio(5, Number.NaN)).toBeUndefined();
    expect(ratio(Number.POSITIVE_INFINITY, 2)).toBeUndefined();
    expect(ratio(5, -1)).toBeUndefined();
  });
});

describe('roundSignificant', () => {
  it('keeps 5 significant digits by default, whatever the magnitude', () => {
    expect(roundSignificant(123_456.789)).toBe(123_460);
    expect(roundSignificant(1.234_567)).toBe(1.2346);
    expect(roundSignificant(0.000_123_456_7)).toBe(0.000_123_46);
  });

  it('leaves zero and non-finite values alone', () => {
    expect(roundSignificant(0)).toBe(0);
    expect(roundSignificant(Number.NaN)).toBeNaN();
  });
});

describe('perSecond and summarizeLatencies', () => {
  it('turns a count over milliseconds into a rate', () => {
    expect(perSecond(500, 250)).toBe(2000);
    expect(() => perSecond(1, 0)).toThrow();
  });

  it('summarizes latency samples', () => {
    const summary = summarizeLatencies(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(summary).toMatchObject({ count: 100, max: 100 });
    expect(summary.p50).toBeCloseTo(50.5);
    expect(summary.p99).toBeCloseTo(99.01);
  });
});
