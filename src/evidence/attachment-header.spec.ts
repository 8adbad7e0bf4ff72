import { describe, expect, it } from '@jest/globals';
import { attachmentHeader, cleanFilename } from './attachment-header.js';

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

describe('cleanFilename', () => {
  it('drops directories, control characters and surrounding blanks', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\张三\\说明.docx')).toBe('说明.docx');
    expect(cleanFilename(' a\r\nb.txt ')).toBe('ab.txt');
  });

  it('never returns an empty or dot name, and keeps at most 255 characters', () => {
    expect(cleanFilename(undefined)).toBe('evidence');
    expect(cleanFilename('..')).toBe('evidence');
    expect(cleanFilename('dir/')).toBe('evidence');
    expect([...cleanFilename('证'.repeat(300))]).toHaveLength(255);
  });
});
