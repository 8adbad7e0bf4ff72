import { describe, expect, it } from '@jest/globals';

import { daysBetween, percentile, rate, roundDays } from './stats.js';

describe('percentile (as PERCENTILE.INC)', () => {
  it('is null without values', () => {
    expect(percentile([], 0.5)).toBeNull();
  });

  it('gives the middle value, or the mean of the two middle ones, as the median', () => {
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });

  it('interpolates p90 between closest ranks', () => {
    // rank (10 - 1) * 0.9 = 8.1 → 9 + 0.1 * (10 - 9)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(percentile([2, 10], 0.9)).toBeCloseTo(9.2, 10);
    expect(percentile([7], 0.9)).toBe(7);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 0.5);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('rate', () => {
  it('rounds to four decimals and is null for an empty whole', () => {
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(0, 0)).toBeNull();
  });
});

describe('days', () => {
  it('counts calendar days, fractions included', () => {
    expect(daysBetween('2026-01-05T09:00:00.000Z', '2026-01-07T21:00:00.000Z')).toBe(2.5);
    expect(roundDays(2.46)).toBe(2.5);
    expect(roundDays(null)).toBeNull();
  });
});
