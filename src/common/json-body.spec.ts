import { describe, expect, it } from '@jest/globals';

import { DomainError } from './domain-error.js';
import { nestsDeeperThan, parseJsonBody } from './json-body.js';

describe('nestsDeeperThan', () => {
  it('counts objects and arrays alike', () => {
    expect(nestsDeeperThan('[{"a":[1]}]', 3)).toBe(false);
    expect(nestsDeeperThan('[{"a":[[1]]}]', 3)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan('{"a":"[[[[\\"[[[[{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"\\\\",  "b":[[1]]}', 2)).toBe(true);
  });

  it('measures depth, not the number of brackets', () => {
    expect(nestsDeeperThan('[' + '[],'.repeat(1000) + '[]]', 2)).toBe(false);
  });
});

describe('parseJsonBody', () => {
  const refusal = (text: string) => {
    try {
      parseJsonBody(text);
    } catch (error) {
      return error instanceof DomainError ? error.fields : error;
    }
    return null;
  };

  it('parses what JSON.parse parses', () => {
    expect(parseJsonBody('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
  });

  it('refuses, naming body: empty, malformed, too deep, prototype keys', () => {
    expect(refusal('')).toEqual([{ field: 'body', message: 'malformed JSON (empty)' }]);
    expect(refusal('{"a":')).toEqual([{ field: 'body', message: 'malformed JSON' }]);
    expect(refusal('['.repeat(33) + ']'.repeat(33))).toEqual([{ field: 'body', message: 'nested deeper than 32 levels' }]);
    expect(refusal('['.repeat(32) + ']'.repeat(32))).toBeNull();
    expect(refusal('{"a":{"__proto__":{"x":1}}}')).toEqual([{ field: 'body', message: expect.stringContaining('__proto__') }]);
  });
});
