import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';

import { expectRefusal } from './support/expectations.js';
import { auth, TestApp, type TestUser } from './support/test-app.js';

const PASSWORD = 'password-for-tests'; // what TestApp.user() sets
const WINDOW_MS = 15 * 60 * 1000;

describe('authentication and the HTTP surface', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  const login = (username: string, password: string) => t.http.post('/auth/login').send({ username, password });

  describe('tokens', () => {
    it('stop working when they expire, also after they were accepted before', async () => {
      const officer = await t.user(['officer']);
      await t.http.get('/me/tasks').set(auth(officer)).expect(200);
      await t.http.get('/me/tasks').set(auth(officer)).expect(200);
      const nineHoursLater = Date.now() + 9 * 3600 * 1000; // JWT_EXPIRES_IN defaults to 8h
      const clock = jest.spyOn(Date, 'now').mockReturnValue(nineHoursLater);
      try {
        expectRefusal(await t.http.get('/me/tasks').set(auth(officer)), 401, 'invalid or expired');
      } finally {
        clock.mockRestore();
      }
    });

    it('are refused when their signature does not match, even for a token seen before', async () => {
      const officer = await t.user(['officer']);
      await t.http.get('/me/tasks').set(auth(officer)).expect(200);
      const [header, payload, signature] = officer.token.split('.');
      const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      expectRefusal(await t.http.get('/me/tasks').set(auth(forged)), 401);
    });
  });

  describe('login', () => {
    it('returns a token and the user, never the hash', async () => {
      const officer = await t.user(['officer']);
      const response = await login(officer.username, PASSWORD).expect(200);
      expect(response.body).toMatchObject({
        accessToken: expect.any(String),
        user: { id: officer.id, username: officer.username, roles: ['officer'], unitId: t.rootUnitId },
      });
      expect(JSON.stringify(response.body)).not.toMatch(/hash|"password"|\$argon2/i);
      await t.http.get('/cases').set(auth(response.body.accessToken)).expect(200);
    });

    it('refuses a wrong password and an unknown user alike', async () => {
      const cadre = await t.user(['cadre']);
      const wrong = await login(cadre.username, 'not-the-password');
      const unknown = await login('nobody-at-all', 'not-the-password');
      expectRefusal(wrong, 401);
      expectRefusal(unknown, 401);
      expect(wrong.body.message).toBe(unknown.body.message);
      expect(wrong.body).not.toHaveProperty('accessToken');
    });

    it('validates the body', async () => {
      expectRefusal(await t.http.post('/auth/login').send({ username: 'x' }), 400, 'password');
    });
  });

  describe('failed-login throttle', () => {
    // Every test starts with counters that have run out (the address counter is shared by the whole file).
    beforeEach(() => t.clock.advance(WINDOW_MS));

    async function failTimes(user: TestUser, times: number): Promise<void> {
      for (let i = 0; i < times; i++) {
        expectRefusal(await login(user.username, `wrong-${i}`), 401);
      }
    }

    it('answers 429 after five failures, even with the right password, until the first delay (1 s) has passed', async () => {
      const leader = await t.user(['leader']);
      await failTimes(leader, 5);
      expectRefusal(await login(leader.username, PASSWORD), 429);
      expectRefusal(await login(leader.username, 'wrong-again'), 429);
      t.clock.advance(999);
      expectRefusal(await login(leader.username, PASSWORD), 429);
      t.clock.advance(1);
      await login(leader.username, PASSWORD).expect(200);
    });

    it('does not count successful logins', async () => {
      const officer = await t.user(['officer']);
      for (let i = 0; i < 10; i++) {
        await login(officer.username, PASSWORD).expect(200);
      }
      const parallel = await Promise.all(Array.from({ length: 10 }, () => login(officer.username, PASSWORD)));
      expect(parallel.map((r) => r.status)).toEqual(Array(10).fill(200));
    });

    it('keeps usernames apart', async () => {
      const [victim, bystander] = [await t.user(['cadre']), await t.user(['cadre'])];
      await failTimes(victim, 5);
      expectRefusal(await login(victim.username, PASSWORD), 429);
      await login(bystander.username, PASSWORD).expect(200);
    });

    it('throttles unknown usernames too', async () => {
      for (let i = 0; i < 5; i++) {
        expectRefusal(await login('ghost', `guess-${i}`), 401);
      }
      expectRefusal(await login('ghost', 'guess-5'), 429);
    });

    it('cannot be bypassed by sending the guesses in parallel', async () => {
      const target = await t.user(['leader']);
      const guesses = await Promise.all(Array.from({ length: 20 }, (_, i) => login(target.username, `guess-${i}`)));
      const counts = guesses.reduce<Record<number, number>>((c, r) => ({ ...c, [r.status]: (c[r.status] ?? 0) + 1 }), {});
      expect(counts).toEqual({ 401: 5, 429: 15 });
      expectRefusal(await login(target.username, PASSWORD), 429);
    });

    it('does not touch other routes', async () => {
      const cadre = await t.user(['cadre']);
      await failTimes(cadre, 5);
      const responses = await Promise.all(Array.from({ length: 30 }, () => t.http.get('/cases').set(auth(cadre))));
      expect(responses.every((r) => r.status === 200)).toBe(true);
    });
  });

  describe('the HTTP surface', () => {
    it('serves /health without a token', async () => {
      // The calendar's coverage itself is tested in holiday-calendar.e2e-spec.ts.
      expect((await t.http.get('/health').expect(200)).body).toEqual({
        status: 'ok',
        calendar: { coveredThrough: expect.any(String), ok: expect.any(Boolean) },
        warnings: expect.any(Array),
      });
    });

    it('serves the OpenAPI document at /docs-json without a token', async () => {
      const response = await t.http.get('/docs-json').expect(200);
      expect(response.body.openapi).toMatch(/^3\./);
      expect(Object.keys(response.body.paths)).toEqual(
        expect.arrayContaining(['/auth/login', '/cases', '/cases/{id}/review', '/cases/{id}/audit/verify']),
      );
      await t.http.get('/docs').expect(200);
    });

    it('sends security headers, on success, on errors and on unknown routes', async () => {
      for (const response of [await t.http.get('/health'), await t.http.get('/cases'), await t.http.get('/no-such-route')]) {
        expect(response.headers['x-content-type-options']).toBe('nosniff');
        expect(response.headers['x-frame-options']).toBeDefined();
        expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      }
    });

    it('echoes the x-request-id it is given, in the header and the error body', async () => {
      const response = await t.http.get('/cases').set('x-request-id', 'trace-abc.123');
      expectRefusal(response, 401);
      expect(response.headers['x-request-id']).toBe('trace-abc.123');
      expect(response.body.requestId).toBe('trace-abc.123');
    });

    it('makes up a request id when none, or an unsafe one, is given', async () => {
      const none = await t.http.get('/cases');
      const unsafe = await t.http.get('/cases').set('x-request-id', 'bad id; drop');
      const tooLong = await t.http.get('/cases').set('x-request-id', 'a'.repeat(65));
      for (const response of [none, unsafe, tooLong]) {
        expectRefusal(response, 401);
        expect(response.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
      expect(none.body.requestId).not.toBe(unsafe.body.requestId);
    });

    it('answers an unknown route with the error body', async () => {
      expectRefusal(await t.http.get('/no-such-route').set(auth(await t.adminToken())), 404);
    });
  });
});
