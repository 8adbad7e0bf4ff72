import { afterAll, beforeAll, describe, it } from '@jest/globals';

import { expectRefusal } from '../support/expectations.js';
import { auth, TestApp } from '../support/test-app.js';

const PASSWORD = 'password-for-tests'; // what TestApp.user() sets
const ACCOUNT_CACHE_MS = 1000; // the default

/**
 * Issue 16 on a multi-instance deployment: an account changed through one instance stops the old tokens on
 * the others within ACCOUNT_CACHE_MS, and failed logins count against the same limits on every instance.
 */
describe('accounts across two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: string;

  beforeAll(async () => {
    a = await TestApp.start();
    b = await TestApp.start({ ...a.database.env });
    admin = await a.adminToken();
  });
  afterAll(async () => {
    await b.app.close();
    await a.stop();
  });

  it('an account disabled through one instance is refused by the other within ACCOUNT_CACHE_MS', async () => {
    const officer = await a.user(['officer']);
    await b.http.get('/cases').set(auth(officer)).expect(200);
    await a.http.patch(`/users/${officer.id}`).set(auth(admin)).send({ disabled: true }).expect(200);
    expectRefusal(await a.http.get('/cases').set(auth(officer)), 401, 'disabled');
    b.clock.advance(ACCOUNT_CACHE_MS);
    expectRefusal(await b.http.get('/cases').set(auth(officer)), 401, 'disabled');
  });

  it('a logout through one instance ends the session on the other', async () => {
    const officer = await a.user(['officer']);
    await b.http.get('/cases').set(auth(officer)).expect(200);
    await a.http.post('/auth/logout').set(auth(officer)).expect(204);
    b.clock.advance(ACCOUNT_CACHE_MS);
    expectRefusal(await b.http.get('/cases').set(auth(officer)), 401, 'the token was revoked (logout)');
  });

  it('failed logins through either instance count against one limit', async () => {
    // One wall clock in production: line the two test clocks up again.
    b.clock.set(a.clock.now());
    const leader = await a.user(['leader']);
    for (const [i, app] of [a, b, a, b, a].entries()) {
      expectRefusal(await app.http.post('/auth/login').send({ username: leader.username, password: `wrong-${i}` }), 401);
    }
    for (const app of [a, b]) {
      expectRefusal(await app.http.post('/auth/login').send({ username: leader.username, password: PASSWORD }), 429);
    }
  });
});
