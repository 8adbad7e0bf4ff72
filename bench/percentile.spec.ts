import { describe, expect, it } from '@jest/globals';

import { percentile } from './percentile.js';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('is the smallest value that p% of the values do not exceed', () => {
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 100)).toBe(100);
    expect(
      percentile(
        Array.from({ length: 300 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(297);
  });

  it('gives the one value of one sample, and 0 for none', () => {
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});
