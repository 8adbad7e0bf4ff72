import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { expectRefusal } from './support/expectations.js';
import { TestApp, type TestUser } from './support/test-app.js';

const PASSWORD = 'password-for-tests'; // what TestApp.user() sets
const WINDOW_MS = 15 * 60 * 1000;

/**
 * Issue 16: the limit was per username only, so anyone could lock any account (admin included) for 15
 * minutes with the right password refused meanwhile, and spraying one password over 600 usernames was
 * never limited. Counters now belong to (username, client address) and to the address, with growing delays.
 */
describe('login limits', () => {
  describe('behind a trusted proxy (TRUST_PROXY=1: the client is the last X-Forwarded-For address)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start({ TRUST_PROXY: '1' });
    });
    afterAll(() => t.stop());
    beforeEach(() => t.clock.advance(WINDOW_MS));

    const login = (from: string, username: string, password: string) =>
      t.http.post('/auth/login').set('X-Forwarded-For', from).send({ username, password });
    const failTimes = async (from: string, user: TestUser | string, times: number) => {
      for (let i = 0; i < times; i++) {
        expectRefusal(await login(from, typeof user === 'string' ? user : user.username, `wrong-${i}`), 401);
      }
    };

    it('an attacker cannot lock the owner out: the owner’s address has counters of its own', async () => {
      const admin = 'admin';
      await failTimes('203.0.113.66', admin, 5);
      for (let i = 0; i < 10; i++) {
        expectRefusal(await login('203.0.113.66', admin, `wrong-again-${i}`), 429);
      }
      await login('198.51.100.7', admin, 'tests-root-password-2026').expect(200);
      // Another username from the attacker's address is not held up by that pair either.
      const other = await t.user(['cadre']);
      await login('203.0.113.66', other.username, PASSWORD).expect(200);
    });

    it('delays grow 1 s, 2 s, 4 s … after the fifth failure, instead of a fixed lockout', async () => {
      const leader = await t.user(['leader']);
      const from = '203.0.113.10';
      await failTimes(from, leader, 5);
      for (const delayMs of [1000, 2000, 4000, 8000]) {
        t.clock.advance(delayMs - 1);
        const delayed = await login(from, leader.username, PASSWORD);
        expectRefusal(delayed, 429, `retry in 1 s`);
        expect(delayed.headers['retry-after']).toBe('1');
        t.clock.advance(1);
        expectRefusal(await login(from, leader.username, 'wrong-once-more'), 401);
      }
      t.clock.advance(16_000);
      const ok = await login(from, leader.username, PASSWORD).expect(200);
      expect(ok.body.accessToken).toEqual(expect.any(String));
      // A success starts the pair over: five free attempts again.
      await failTimes(from, leader, 5);
    });

    it('limits password spraying from one address (50 failures, then delays), whatever the usernames', async () => {
      const from = '203.0.113.99';
      for (let i = 0; i < 50; i++) {
        expectRefusal(await login(from, `sprayed-${i}`, 'Summer2026!'), 401);
      }
      expectRefusal(await login(from, 'sprayed-50', 'Summer2026!'), 429);
      const bystander = await t.user(['officer']);
      await login('198.51.100.8', bystander.username, PASSWORD).expect(200);
    });

    it('counts a wrong current password at POST /me/password like a failed login', async () => {
      const officer = await t.user(['officer']);
      const from = '203.0.113.20';
      for (let i = 0; i < 5; i++) {
        const response = await t.http
          .post('/me/password')
          .set('X-Forwarded-For', from)
          .set('Authorization', `Bearer ${officer.token}`)
          .send({ currentPassword: `guess-${i}`, newPassword: 'lantern-orchard-velvet-42' });
        expectRefusal(response, 422, 'currentPassword');
      }
      expectRefusal(await login(from, officer.username, PASSWORD), 429);
    });
  });

  describe('without TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await TestApp.start();
    });
    afterAll(() => t.stop());

    it('ignores X-Forwarded-For: an attacker cannot pick a fresh address per guess', async () => {
      const target = await t.user(['leader']);
      for (let i = 0; i < 5; i++) {
        expectRefusal(
          await t.http
            .post('/auth/login')
            .set('X-Forwarded-For', `192.0.2.${i}`)
            .send({ username: target.username, password: `g-${i}` }),
          401,
        );
      }
      const spoofed = await t.http
        .post('/auth/login')
        .set('X-Forwarded-For', '192.0.2.200')
        .send({ username: target.username, password: 'g-5' });
      expectRefusal(spoofed, 429);
    });
  });
});
