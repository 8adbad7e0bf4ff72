import { describe, expect, it } from '@jest/globals';

import { SAMPLES } from '../../test/support/sample-files.js';
import { judgeBytes, judgeContent, PLAIN_TEXT, Utf8TextCheck } from './evidence-type.js';

describe('judgeBytes (content decides, not the name)', () => {
  it.each([
    ['pdf', 'application/pdf'],
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['cfb', 'application/x-cfb'],
    ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['odt', 'application/vnd.oasis.opendocument.text'],
    ['text', PLAIN_TEXT],
  ] as const)('accepts %s as %s', async (sample, mediaType) => {
    expect(await judgeBytes(SAMPLES[sample])).toEqual({ allowed: true, mediaType });
  });

  it.each([
    ['elf', 'application/x-elf'],
    ['exe', 'application/x-msdownload'],
    ['zip', 'application/zip'],
    ['binary', 'unrecognised binary data'],
  ] as const)('refuses %s, naming what it found (%s)', async (sample, detected) => {
    expect(await judgeBytes(SAMPLES[sample])).toEqual({ allowed: false, detected });
  });

  it('refuses text in another encoding (GBK) and text with NUL bytes (UTF-16)', async () => {
    const gbk = Buffer.from([0xc7, 0xe9, 0xbf, 0xf6, 0xcb, 0xb5, 0xc3, 0xf7]); // 情况说明 in GBK
    expect(await judgeBytes(gbk)).toEqual({ allowed: false, detected: 'unrecognised binary data' });
    expect(await judgeBytes(Buffer.from('statement', 'utf16le'))).toEqual({ allowed: false, detected: 'unrecognised binary data' });
  });
});

describe('judgeContent', () => {
  it('lets a detected type decide even when the bytes would also pass as text', () => {
    expect(judgeContent({ mime: 'application/xml' }, true)).toEqual({ allowed: false, detected: 'application/xml' });
    expect(judgeContent({ mime: 'application/pdf' }, true)).toEqual({ allowed: true, mediaType: 'application/pdf' });
  });

  it('refuses macro-enabled office documents', () => {
    expect(judgeContent({ mime: 'application/vnd.ms-word.document.macroenabled.12' }, false).allowed).toBe(false);
  });
});

describe('Utf8TextCheck', () => {
  it('accepts a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('证据', 'utf8');
    const check = new Utf8TextCheck();
    check.push(bytes.subarray(0, 2));
    check.push(bytes.subarray(2));
    expect(check.end()).toBe(true);
  });

  it('refuses a character cut off at the end, and any NUL byte', () => {
    const cut = new Utf8TextCheck();
    cut.push(Buffer.from('证', 'utf8').subarray(0, 2));
    expect(cut.end()).toBe(false);
    const nul = new Utf8TextCheck();
    nul.push(Buffer.from('a\0b', 'latin1'));
    expect(nul.end()).toBe(false);
  });

  it('stays refused once an invalid byte was seen', () => {
    const check = new Utf8TextCheck();
    check.push(Buffer.from([0xff]));
    check.push(Buffer.from('plain', 'utf8'));
    expect(check.end()).toBe(false);
  });
});
