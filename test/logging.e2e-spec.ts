import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { auth, TestApp } from './support/test-app.js';

describe('request logs', () => {
  const lines: Array<Record<string, unknown>> = [];
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ LOG_LEVEL: 'info' }, lines);
  });
  afterAll(() => t.stop());

  const requestLines = () => lines.filter((line) => line.msg === 'request completed');

  it('logs every request as one JSON line with its id, method, path, status and time', async () => {
    await t.http.get('/health').set('x-request-id', 'log-check-health').expect(200);
    await t.http.get('/cases?page=2').set('x-request-id', 'log-check-cases').set('authorization', 'Bearer not-a-token').expect(401);
    await t.http.post('/cases/00000000-0000-4000-8000-000000000000/review').set('x-request-id', 'log-check-post').send({}).expect(401);
    expect(requestLines()).toEqual([
      expect.objectContaining({
        level: 30,
        requestId: 'log-check-health',
        method: 'GET',
        url: '/health',
        statusCode: 200,
        responseTimeMs: expect.any(Number),
      }),
      expect.objectContaining({ requestId: 'log-check-cases', url: '/cases?page=2', statusCode: 401 }),
      expect.objectContaining({ requestId: 'log-check-post', method: 'POST', statusCode: 401 }),
    ]);
  });

  it('gives a request without an id of its own the generated one it answers with', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(requestLines().at(-1)).toEqual(expect.objectContaining({ requestId: response.headers['x-request-id'] }));
  });

  it("names the signed-in user on their requests' lines, also when a role check refuses them", async () => {
    const cadre = await t.user(['cadre']);
    await t.http.get('/me/tasks').set(auth(cadre)).set('x-request-id', 'log-check-user').expect(200);
    await t.http.post('/cases').set(auth(cadre)).set('x-request-id', 'log-check-refused').send({}).expect(403);
    const byId = (id: string) => requestLines().find((line) => line.requestId === id);
    expect(byId('log-check-user')).toEqual(expect.objectContaining({ userId: cadre.id, statusCode: 200 }));
    expect(byId('log-check-refused')).toEqual(expect.objectContaining({ userId: cadre.id, statusCode: 403 }));
    expect(byId('log-check-cases')?.userId).toBeUndefined();
  });

  it('keeps tokens out of the log', () => {
    expect(JSON.stringify(lines)).not.toContain('not-a-token');
  });
});
