import { Readable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'supertest';

import { CaseExportService } from '../src/reports/case-export.service.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, NEW_CASE, TestApp } from './support/test-app.js';

/** One field's refusal: a 400 whose message and `fields` name it. */
function expectFieldRefused(response: Response, field: string): void {
  expectRefusal(response, 400, `${field}: `);
  expect(response.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}

/** Hostile input found by the security review (issue 16): each is a 400 naming what was wrong, never a 500. */
describe('hostile input', () => {
  const lines: Array<Record<string, unknown>> = [];
  let t: TestApp;
  let cast: Cast;
  let caseId: string;

  beforeAll(async () => {
    t = await TestApp.start({ LOG_LEVEL: 'error' }, lines);
    cast = await createCast(t);
    caseId = (await openCase(t, cast)).id;
  });
  afterAll(() => t.stop());

  /** Nothing went wrong inside: no error was logged. */
  const errorLines = () => lines.filter((line) => Number(line.level) >= 50);

  describe('deeply nested JSON', () => {
    const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    // The review's probes (1,300 arrays = 2.6 kB; 2,400 objects); how deep the stack lasts varies, 20,000 always overflowed.
    const arrays = nestedArrays(1300);
    const objects = nestedObjects(2400);

    it.each([
      ['1,300 nested arrays', arrays],
      ['2,400 nested objects', objects],
      ['20,000 nested arrays', nestedArrays(20000)],
      ['20,000 nested objects', nestedObjects(20000)],
      ['nested arrays inside a field', `{"username":"admin","password":${arrays}}`],
    ])('refused at login, before authentication: %s', async (_name, body) => {
      const response = await t.http.post('/auth/login').set('Content-Type', 'application/json').send(body);
      expectFieldRefused(response, 'body');
      expect(response.body.message).toContain('nested deeper than 32 levels');
      expect(errorLines()).toEqual([]);
    });

    it('refused on a command, changing nothing', async () => {
      const body = `{"statement":"x","evidenceIds":${objects}}`;
      const response = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/explanation`).set(auth(cast.cadre)).set('Content-Type', 'application/json').send(body),
      );
      expectFieldRefused(response, 'body');
      expect(errorLines()).toEqual([]);
    });

    it('refused on an unknown route too', async () => {
      const response = await t.http.post('/no-such-route').set('Content-Type', 'application/json').send(arrays);
      expectFieldRefused(response, 'body');
    });

    it('brackets inside strings do not count, and an ordinary nesting passes', async () => {
      const response = await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id, title: '['.repeat(100), description: '{'.repeat(500) });
      expect(response.status).toBe(201);
    });
  });

  describe('prototype keys in JSON', () => {
    it.each([
      ['__proto__ at the top', '{"username":"admin","password":"x","__proto__":{"polluted":true}}'],
      ['__proto__ nested', '{"username":"admin","password":{"a":[{"__proto__":{"polluted":true}}]}}'],
      ['constructor.prototype', '{"username":"admin","password":"x","constructor":{"prototype":{"polluted":true}}}'],
    ])('refused, naming the key: %s', async (_name, body) => {
      const response = await t.http.post('/auth/login').set('Content-Type', 'application/json').send(body);
      expectFieldRefused(response, 'body');
      expect(response.body.message).toContain('__proto__');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('in a form body or a query string, they reach no prototype either', async () => {
      const form = await t.http
        .post(`/cases/${caseId}/explanation`)
        .set(auth(cast.cadre))
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('statement=x&__proto__[polluted]=true&__proto__=polluted&constructor[prototype][polluted]=true');
      expect(form.status).toBe(400);
      const query = await t.http
        .get('/cases?__proto__[polluted]=true&__proto__=x&constructor[prototype][polluted]=1')
        .set(auth(cast.officer));
      expect(query.status).toBe(400);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    });
  });

  describe('text that is not plain Unicode text', () => {
    const LONE = '\ud800';
    const total = async () => (await t.http.get('/cases').set(auth(cast.officer)).expect(200)).body.total as number;

    it('a lone surrogate in a title: 400 naming title, no case opened', async () => {
      const before = await total();
      const response = await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id, title: `Land-use pilot ${LONE}` });
      expectFieldRefused(response, 'title');
      expect(response.body.message).toContain('lone UTF-16 surrogate');
      expect(await total()).toBe(before);
      expect(errorLines()).toEqual([]);
    });

    it.each([
      ['a lone surrogate in a statement', { statement: `I acted ${LONE.repeat(3)} in good faith.` }, 'statement'],
      ['a low surrogate alone', { statement: 'x\udc00' }, 'statement'],
      ['a NUL in a statement', { statement: 'before\u0000after' }, 'statement'],
      ['a control character in a statement', { statement: 'bell\u0007' }, 'statement'],
      ['a NUL in a cited evidence id', { statement: 'x', evidenceIds: ['\u0000'] }, 'evidenceIds.0'],
      ['a lone surrogate in an unknown key', { statement: 'x', [`k${LONE}`]: 1 }, `k${LONE}`],
    ])('%s: 400 naming the field, nothing written', async (_name, body, field) => {
      const response = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/explanation`).set(auth(cast.cadre)).send(body),
      );
      expectFieldRefused(response, field);
      expect(errorLines()).toEqual([]);
    });

    it('tabs, line breaks and a well-formed pair (an emoji) are text', async () => {
      const response = await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id, title: 'Tab\there 😀', description: 'line\r\nbreaks\n' });
      expect(response.status).toBe(201);
      expect(response.body.title).toBe('Tab\there 😀');
    });

    it.each([
      ['/cases', 'q'],
      ['/cases', 'category'],
      ['/reports/cases.csv', 'q'],
      ['/reports/cases.csv', 'category'],
    ])('a NUL in a query parameter of %s: 400 naming %s', async (path, name) => {
      const reader = path.startsWith('/reports') ? cast.leader : cast.officer;
      const response = await t.http.get(`${path}?${name}=ab%00cd`).set(auth(reader));
      expectFieldRefused(response, name);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(errorLines()).toEqual([]);
    });

    it('a NUL in a path parameter: 400 naming it', async () => {
      const response = await t.http.get('/policies/a%00b/1').set(auth(cast.officer));
      expectFieldRefused(response, 'id');
    });
  });

  describe('a streamed response that fails after its headers', () => {
    it('is cut and logged with its request id', async () => {
      const exports = t.app.get(CaseExportService);
      // The export's rows fail after the header line went out (as the NUL in `q` made them fail on PostgreSQL).
      async function* failing(): AsyncGenerator<string> {
        yield 'id,title\r\n';
        await Promise.resolve();
        throw new Error('the database went away');
      }
      const spy = jest.spyOn(exports, 'export').mockResolvedValueOnce(Readable.from(failing()));
      try {
        const cut = await t.http
          .get('/reports/cases.csv')
          .set(auth(cast.leader))
          .set('x-request-id', 'csv-cut-check')
          .then(
            (response) => response.status,
            (error: Error) => error.message,
          );
        expect(cut).not.toBe(500);
        expect(errorLines()).toEqual([
          expect.objectContaining({
            requestId: 'csv-cut-check',
            url: '/reports/cases.csv',
            msg: 'response stream failed after its headers were sent',
            err: expect.objectContaining({ message: 'the database went away' }),
          }),
        ]);
      } finally {
        spy.mockRestore();
        lines.length = 0;
      }
    });
  });

  describe('malformed multipart on POST /cases/:id/evidence', () => {
    const CRLF = '\r\n';
    const part = (boundary: string, body: string) =>
      `--${boundary}${CRLF}Content-Disposition: form-data; name="file"; filename="a.txt"${CRLF}Content-Type: text/plain${CRLF}${CRLF}${body}`;

    it.each([
      ['no boundary', 'multipart/form-data', 'hello'],
      ['an empty boundary', 'multipart/form-data; boundary=', 'hello'],
      ['an empty body', 'multipart/form-data; boundary=XYZ', ''],
      ['a body without the boundary', 'multipart/form-data; boundary=XYZ', 'hello world'],
      ['a part cut before its end', 'multipart/form-data; boundary=XYZ', part('XYZ', 'statement text')],
      ['a part cut inside its headers', 'multipart/form-data; boundary=XYZ', `--XYZ${CRLF}Content-Disposition: form-da`],
      ['a part without headers', 'multipart/form-data; boundary=XYZ', `--XYZ${CRLF}${CRLF}hello${CRLF}--XYZ--${CRLF}`],
      ['garbage header lines', 'multipart/form-data; boundary=XYZ', `--XYZ${CRLF}\u0001\u0002: \u0003${CRLF}${CRLF}x${CRLF}--XYZ--`],
    ])('%s: 400 naming file, nothing written', async (_name, contentType, body) => {
      const response = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/evidence`).set(auth(cast.cadre)).set('Content-Type', contentType).send(body),
      );
      expectFieldRefused(response, 'file');
      expect(errorLines()).toEqual([]);
    });

    it('a well-formed upload still works after them', async () => {
      const response = await t.http
        .post(`/cases/${caseId}/evidence`)
        .set(auth(cast.cadre))
        .attach('file', Buffer.from('a plain statement'), 'statement.txt');
      expect(response.status).toBe(201);
    });
  });

  describe('response headers', () => {
    const STRICT = "default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'";
    const expectApiHeaders = (response: Response) => {
      expect(response.headers['cache-control']).toMatch(/(^|[ ,])no-store($|,)/);
      expect(response.headers['content-security-policy']).toBe(STRICT);
    };

    it('authenticated JSON, the login answer (a token) and errors: no-store and a CSP that allows nothing', async () => {
      expectApiHeaders(await t.http.get('/cases').set(auth(cast.officer)).expect(200));
      expectApiHeaders(await t.http.get(`/cases/${caseId}`).set(auth(cast.officer)).expect(200));
      expectApiHeaders(
        await t.http.post('/auth/login').send({ username: cast.officer.username, password: 'password-for-tests' }).expect(200),
      );
      expectApiHeaders(await t.http.get('/cases').expect(401));
      expectApiHeaders(await t.http.get('/no-such-route').expect(404));
      expectApiHeaders(await t.http.get('/docs-json').expect(200));
    });

    it('downloads: evidence and the CSV export are no-store too', async () => {
      const uploaded = await t.http
        .post(`/cases/${caseId}/evidence`)
        .set(auth(cast.cadre))
        .attach('file', Buffer.from('kept nowhere'), 'n.txt');
      const download = await t.http.get(`/cases/${caseId}/evidence/${uploaded.body.id}`).set(auth(cast.officer)).expect(200);
      expectApiHeaders(download);
      expect(download.headers['cache-control']).not.toContain('no-cache');
      expect(download.headers.etag).toBe(`"${uploaded.body.sha256}"`);
      expectApiHeaders(await t.http.get('/reports/cases.csv').set(auth(cast.leader)).expect(200));
    });

    it('only the Swagger UI gets the relaxed policy it needs (inline scripts and styles)', async () => {
      const page = await t.http.get('/docs').expect(200);
      expect(page.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
      expect(page.headers['cache-control']).toBeUndefined();
      for (const response of [
        await t.http.get('/health'),
        await t.http.get('/cases').set(auth(cast.officer)),
        await t.http.get('/docsx'),
      ]) {
        expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
      }
    });
  });
});
