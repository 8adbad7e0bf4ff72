import { describe, expect, it } from '@jest/globals';

import { evidenceFilename } from './evidence-filename.js';
import { PLAIN_TEXT } from './evidence-type.js';

const PDF = 'application/pdf';

describe('evidenceFilename', () => {
  it('drops directories, control characters and surrounding blanks', () => {
    expect(evidenceFilename('../../etc/passwd', PLAIN_TEXT)).toBe('passwd.txt');
    expect(evidenceFilename('C:\\Users\\张三\\说明.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe(
      '说明.docx',
    );
    expect(evidenceFilename(' a\r\nb.txt ', PLAIN_TEXT)).toBe('ab.txt');
    expect(evidenceFilename('a\u0085b\u009b.pdf', PDF)).toBe('ab.pdf');
  });

  it.each([
    ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'],
    ['\u2066', '\u2067', '\u2068', '\u2069'],
    ['\u200E', '\u200F', '\u061C'],
    ['\u200B', '\uFEFF', '\u2060', '\u2028'],
  ])('removes every bidi and invisible character (%j …)', (...marks) => {
    expect(evidenceFilename(`st${marks.join('at')}ement.pdf`, PDF)).toBe(`st${'at'.repeat(marks.length - 1)}ement.pdf`);
  });

  it('a right-to-left override cannot make text pass for a PDF: it downloads as .txt', () => {
    expect(evidenceFilename('statement\u202Efdp.bat', PLAIN_TEXT)).toBe('statementfdp.txt');
  });

  it.each(['run.hta', 'run.js', 'link.url', 'x.bat', 'x.cmd', 'x.ps1', 'x.vbs', 'notes.csv', 'page.html'])(
    'text named %s is named .txt',
    (name) => {
      expect(evidenceFilename(name, PLAIN_TEXT)).toBe(`${name.replace(/\.[^.]+$/, '')}.txt`);
    },
  );

  it('takes the extension from the content, keeping the uploader’s when it fits the type', () => {
    expect(evidenceFilename('scan.pdf', 'image/png')).toBe('scan.png');
    expect(evidenceFilename('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
    expect(evidenceFilename('photo', 'image/jpeg')).toBe('photo.jpg');
    expect(evidenceFilename('minutes.xls', 'application/x-cfb')).toBe('minutes.xls');
    expect(evidenceFilename('setup.msi', 'application/x-cfb')).toBe('setup.doc');
    expect(evidenceFilename('report.final.pdf', PDF)).toBe('report.final.pdf');
    expect(evidenceFilename('report.pdf.exe', PDF)).toBe('report.pdf.pdf');
    expect(evidenceFilename('情况 说明.txt', PLAIN_TEXT)).toBe('情况 说明.txt');
  });

  it('never returns an empty or dot name, and keeps at most 255 characters with the extension', () => {
    expect(evidenceFilename(undefined, PDF)).toBe('evidence.pdf');
    expect(evidenceFilename('..', PDF)).toBe('evidence.pdf');
    expect(evidenceFilename('dir/', PDF)).toBe('evidence.pdf');
    expect(evidenceFilename('.pdf', PDF)).toBe('evidence.pdf');
    expect(evidenceFilename('\u202E', PDF)).toBe('evidence.pdf');
    const long = evidenceFilename(`${'证'.repeat(300)}.pdf`, PDF);
    expect([...long]).toHaveLength(255);
    expect(long.endsWith('证.pdf')).toBe(true);
  });

  it('is idempotent, so names stored before it can be cleaned again when read', () => {
    for (const [name, type] of [
      ['statement\u202Efdp.bat', PLAIN_TEXT],
      ['scan.pdf', 'image/png'],
      [' x. ', PDF],
    ] as const) {
      const once = evidenceFilename(name, type);
      expect(evidenceFilename(once, type)).toBe(once);
    }
  });
});
