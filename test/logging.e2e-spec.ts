import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TestApp } from './support/test-app.js';

// A file of its own: nestjs-pino keeps one root logger per process (per test file under jest), made by the
// first application, so this one must be the first here.
describe('request logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ LOG_LEVEL: 'info' }, lines);
  });
  afterAll(() => t.stop());

  const requestLines = () => lines.filter((line) => line.req !== undefined);

  it('logs every request as one JSON line with its id, the authorization header redacted', async () => {
    await t.http.get('/health').set('x-request-id', 'log-check-health').expect(200);
    await t.http.get('/cases').set('x-request-id', 'log-check-cases').set('authorization', 'Bearer not-a-token').expect(401);
    await t.http.post('/cases/00000000-0000-4000-8000-000000000000/review').set('x-request-id', 'log-check-post').send({}).expect(401);
    expect(requestLines()).toEqual([
      expect.objectContaining({ req: expect.objectContaining({ id: 'log-check-health', url: '/health' }), res: expect.objectContaining({ statusCode: 200 }) }),
      expect.objectContaining({
        req: expect.objectContaining({ id: 'log-check-cases', headers: expect.objectContaining({ authorization: '[Redacted]' }) }),
        res: expect.objectContaining({ statusCode: 401 }),
      }),
      expect.objectContaining({ req: expect.objectContaining({ id: 'log-check-post', method: 'POST' }), res: expect.objectContaining({ statusCode: 401 }) }),
    ]);
  });

  it('gives a request without an id of its own the generated one it answers with', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(requestLines().at(-1)).toEqual(expect.objectContaining({ req: expect.objectContaining({ id: response.headers['x-request-id'] }) }));
  });
});
