import { describe, expect, it } from '@jest/globals';

import { childPath, pathReaches, pathUnitIds } from './unit-path.js';

describe('unit path rules', () => {
  const county = childPath(null, 'county');
  const township = childPath(county, 'township');

  it('writes a path that lists every ancestor, root first', () => {
    expect(county).toBe('/county/');
    expect(township).toBe('/county/township/');
    expect(pathUnitIds(township)).toEqual(['county', 'township']);
    expect(pathUnitIds('')).toEqual([]);
  });

  it('reaches the unit itself and the units below it, never a sibling, a parent or a prefix of an id', () => {
    expect(pathReaches(township, 'township')).toBe(true);
    expect(pathReaches(township, 'county')).toBe(true);
    expect(pathReaches(county, 'township')).toBe(false);
    expect(pathReaches(childPath(county, 'village'), 'township')).toBe(false);
    expect(pathReaches(childPath(county, 'township-2'), 'township')).toBe(false);
  });
});
