import { describe, expect, it } from '@jest/globals';

import { copyText } from './postgres-writer.js';

describe('COPY text format of cloned values', () => {
  it('writes NULL as \\N, booleans as t/f, numbers as digits', () => {
    expect([null, undefined, true, false, 42].map(copyText)).toEqual(['\\N', '\\N', 't', 'f', '42']);
  });

  it('escapes backslashes and line breaks, so JSON and multi-line text arrive unchanged', () => {
    expect(copyText('{"a":"x\\"y"}')).toBe('{"a":"x\\\\"y"}');
    expect(copyText('第一行\n第二行\tend\r')).toBe('第一行\\n第二行\\tend\\r');
    expect(copyText('桃源县')).toBe('桃源县');
  });
});
