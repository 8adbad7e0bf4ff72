import { describe, expect, it } from '@jest/globals';

import { occurredAtUtc } from './occurred-at.js';

describe('occurredAtUtc', () => {
  it.each([
    ['2026-03-15', '2026-03-15T00:00:00.000Z'],
    ['2026-03', '2026-03-01T00:00:00.000Z'],
    ['2026-03-15T10:00:00+08:00', '2026-03-15T02:00:00.000Z'],
    ['2026-03-15T10:00', '2026-03-15T10:00:00.000Z'],
    ['2026-03-15T10:00:00.123456Z', '2026-03-15T10:00:00.123Z'],
  ])('%s is the instant %s', (input, expected) => {
    expect(occurredAtUtc(input)).toBe(expected);
  });

  it('reads a time without a zone as UTC, whatever the server’s zone', () => {
    expect(occurredAtUtc('2026-03-15 23:30:00')).toBe('2026-03-15T23:30:00.000Z');
  });

  it.each(['2026-W11', '2026-W11-2', '2026-074', '20260315'])('has no instant for %s', (input) => {
    expect(occurredAtUtc(input)).toBeNull();
  });
});
