import { describe, expect, it } from '@jest/globals';

import { attachmentHeader } from './attachment-header.js';

describe('attachmentHeader', () => {
  it('quotes a plain ASCII name as it is', () => {
    expect(attachmentHeader('report 2026.pdf')).toBe('attachment; filename="report 2026.pdf"');
  });

  it('adds an RFC 5987 filename* for a Chinese name, with an ASCII fallback', () => {
    expect(attachmentHeader('情况说明.pdf')).toBe(
      `attachment; filename="____.pdf"; filename*=UTF-8''%E6%83%85%E5%86%B5%E8%AF%B4%E6%98%8E.pdf`,
    );
  });

  it('never lets a quote or backslash break out of the quoted fallback', () => {
    expect(attachmentHeader('a"b\\c\'(d).txt')).toBe(`attachment; filename="a_b_c'(d).txt"; filename*=UTF-8''a%22b%5Cc%27%28d%29.txt`);
  });
});
