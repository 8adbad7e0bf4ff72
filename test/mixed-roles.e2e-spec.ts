import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast } from './support/case-actors.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, NEW_CASE, TestApp, type TestUser } from './support/test-app.js';

/**
 * Issue 16: a user holding `admin` beside `leader` (or `officer`) in a township decided a case in another
 * county and opened a case about a cadre there, because admin sees everything and the action check looked
 * only at the role. Such accounts can no longer be made; one already in a database acts only within the
 * unit of its case role.
 */
describe('admin combined with case roles', () => {
  let t: TestApp;
  let here: Cast;
  let there: Cast;
  let mixedLeader: TestUser;
  let mixedOfficer: TestUser;
  let adminToken: string;

  /** An account from before the rule: made as a case role, then given admin in the database. */
  async function withAdmin(user: TestUser): Promise<TestUser> {
    const roles = ['admin', ...user.roles];
    await t.database.query('UPDATE users SET roles = ? WHERE id = ?', JSON.stringify(roles), user.id);
    return { ...user, roles: roles as TestUser['roles'], token: await t.login(user.username, 'password-for-tests') };
  }

  beforeAll(async () => {
    t = await TestApp.start();
    const countyX = await t.createUnit('County X');
    const township = await t.createUnit('Township X1', countyX);
    const countyY = await t.createUnit('County Y');
    here = await createCast(t, township);
    there = await createCast(t, countyY);
    mixedLeader = await withAdmin(await t.user(['leader'], township));
    mixedOfficer = await withAdmin(await t.user(['officer'], township));
    adminToken = await t.adminToken();
  });
  afterAll(() => t.stop());

  it('refuses to create or give an account admin beside a case role (422 naming roles)', async () => {
    for (const roles of [
      ['admin', 'leader'],
      ['admin', 'officer'],
      ['admin', 'cadre'],
    ]) {
      const response = await t.http
        .post('/users')
        .set(auth(adminToken))
        .send({
          username: `mixed-${roles[1]}`,
          password: 'a-long-and-unusual-passphrase',
          displayName: 'Mixed',
          roles,
          unitId: t.rootUnitId,
        });
      expectRefusal(response, 422, /^roles: admin cannot be combined/);
      expect(response.body.fields).toEqual([{ field: 'roles', message: expect.stringContaining('admin cannot be combined') }]);
    }
    const users = await t.http.get('/users').set(auth(adminToken)).expect(200);
    expect(users.body.map((u: { username: string }) => u.username)).not.toContain('mixed-leader');
  });

  it('does not let an admin+leader decide a case of another county, which stays untouched', async () => {
    const foreign = await caseAwaitingReview(t, there);
    const response = await withoutWriting(t, there.officer, foreign.id, () =>
      t.http
        .post(`/cases/${foreign.id}/review`)
        .set(auth(mixedLeader))
        .send({ decision: 'override', outcome: 'hold-accountable', reason: 'Overriding from another county.' }),
    );
    expectRefusal(response, 403, 'the case is outside the unit of your leader role');
    expect(response.body.refusal).toBe('SCOPE');
    // Admin still reads it (to check trails), but is offered no command on it.
    const view = await t.http.get(`/cases/${foreign.id}`).set(auth(mixedLeader)).expect(200);
    expect(view.body.allowedActions).toEqual([]);
  });

  it('does not let an admin+officer open a case about a cadre of another county', async () => {
    const count = async () => (await t.http.get(`/cases?subjectId=${there.cadre.id}`).set(auth(adminToken)).expect(200)).body.total;
    const before = await count();
    const response = await t.http
      .post('/cases')
      .set(auth(mixedOfficer))
      .send({ ...NEW_CASE, subjectId: there.cadre.id });
    expectRefusal(response, 403, 'the subject is outside your unit');
    expect(response.body.refusal).toBe('SCOPE');
    expect(await count()).toBe(before);
  });

  it('still lets the same account act within the unit of its case role', async () => {
    const own = await caseAwaitingReview(t, here);
    const reviewed = await t.http.post(`/cases/${own.id}/review`).set(auth(mixedLeader)).send({ decision: 'approve' }).expect(200);
    expect(reviewed.body.state).toBe('decided');
    await t.http
      .post('/cases')
      .set(auth(mixedOfficer))
      .send({ ...NEW_CASE, subjectId: here.cadre.id })
      .expect(201);
  });
});
