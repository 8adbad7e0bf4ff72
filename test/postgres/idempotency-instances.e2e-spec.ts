import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Cast, createCast } from '../support/case-actors.js';
import { expectRefusal } from '../support/expectations.js';
import { auth, NEW_CASE, TestApp } from '../support/test-app.js';

/**
 * Idempotency-Key across instances (issue 17): the same key sent to two instances at once creates one case.
 * Within one instance a second request waits for nothing (409 from the interceptor); across instances the
 * second command's insert of the key waits on the first's primary-key entry and, once that commits, fails
 * as a duplicate: 409 too, and its case rolls back with it.
 */
describe('Idempotency-Key across two instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    a = await TestApp.start();
    b = await TestApp.start({ ...a.database.env });
    cast = await createCast(a);
  });
  afterAll(async () => {
    await b.app.close();
    await a.stop();
  });

  it('creates one case when both instances get the same key at once', async () => {
    for (let round = 0; round < 5; round++) {
      const title = `two instances ${round}`;
      const send = (app: TestApp) =>
        app.http
          .post('/cases')
          .set(auth(cast.officer))
          .set('Idempotency-Key', `key-${round}`)
          .send({ ...NEW_CASE, subjectId: cast.cadre.id, title });
      const answers = await Promise.all([send(a), send(b)]);
      const created = answers.filter((answer) => answer.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((answer) => answer.body.id as string)).size).toBe(1);
      for (const answer of answers.filter((x) => x.status !== 201)) {
        expectRefusal(answer, 409, 'Idempotency-Key');
      }
      const { rows } = await a.database.query<{ n: string }>('SELECT COUNT(*) AS n FROM cases WHERE title = ?', title);
      expect(Number(rows[0].n)).toBe(1);
    }
  });
});
