import { describe, expect, it } from '@jest/globals';

import { appendOnlyRowId } from './row-id.js';

describe('appendOnlyRowId', () => {
  it('gives distinct version-7 UUIDs whose time prefix never goes backwards', () => {
    const ids = Array.from({ length: 2000 }, () => appendOnlyRowId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    // The first 48 bits are the millisecond; ids made within one millisecond may come in any order.
    const prefixes = ids.map((id) => id.replace('-', '').slice(0, 12));
    expect([...prefixes].sort()).toEqual(prefixes);
  });
});
