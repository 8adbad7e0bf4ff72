import { describe, expect, it } from '@jest/globals';

import { csvCell, csvLine } from './csv.js';

describe('csvCell', () => {
  it('leaves plain text, Chinese included, as it is', () => {
    expect(csvCell('扶贫项目资金拨付')).toBe('扶贫项目资金拨付');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
  });

  it('quotes commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=HYPERLINK("http://x","click")', '+cmd|calc', '-2+3', '@SUM(A1)', '\t=1'])('turns the formula %j into text', (text) => {
    expect(csvCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('neutralises and quotes at once', () => {
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('leaves a sign inside the text alone', () => {
    expect(csvCell('a-b=c')).toBe('a-b=c');
  });
});

describe('csvLine', () => {
  it('ends with CRLF', () => {
    expect(csvLine(['a', null, 1])).toBe('a,,1\r\n');
  });
});
