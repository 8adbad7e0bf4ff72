import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, NEW_CASE, TestApp, type TestUser } from './support/test-app.js';

const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id).sort();

/**
 * Units: root → A → A1, and root → B (a sibling of A). A cadre sees only own cases; officers and
 * leaders see their unit and the units below it, never a sibling's.
 */
describe('who sees what', () => {
  let t: TestApp;
  let a: Cast;
  let a1: Cast;
  let b: Cast;
  let caseA: string;
  let caseA2: string;
  let caseA1: string;
  let caseB: string;

  beforeAll(async () => {
    t = await TestApp.start();
    const unitA = await t.createUnit('A');
    const unitA1 = await t.createUnit('A1', unitA);
    const unitB = await t.createUnit('B');
    [a, a1, b] = [await createCast(t, unitA), await createCast(t, unitA1), await createCast(t, unitB)];
    caseA = (await openCase(t, a)).id;
    caseA2 = (await openCase(t, a)).id;
    caseA1 = (await openCase(t, a1)).id;
    caseB = (await openCase(t, b)).id;
  });
  afterAll(() => t.stop());

  const list = async (user: TestUser, query = '') => (await t.http.get(`/cases${query}`).set(auth(user)).expect(200)).body;

  describe('a cadre', () => {
    it('lists exactly their own cases, with the right total', async () => {
      const page = await list(a.cadre);
      expect(ids(page)).toEqual([caseA, caseA2].sort());
      expect(page.total).toBe(2);
      expect(page.items.every((item: { subjectId: string }) => item.subjectId === a.cadre.id)).toBe(true);
    });

    it('gets nothing when filtering on another cadre', async () => {
      expect(await list(a.cadre, `?subjectId=${b.cadre.id}`)).toMatchObject({ items: [], total: 0 });
      expect(await list(a.cadre, `?subjectId=${a1.cadre.id}`)).toMatchObject({ items: [], total: 0 });
    });

    it('gets 404 on another cadre’s case, as if it did not exist', async () => {
      expectRefusal(await t.http.get(`/cases/${caseB}`).set(auth(a.cadre)), 404);
      expectRefusal(await t.http.get(`/cases/${caseB}/audit`).set(auth(a.cadre)), 404);
      expectRefusal(await t.http.get(`/cases/${caseA1}`).set(auth(a.cadre)), 404);
    });

    it('gets 404 for a command on another cadre’s case, which stays untouched', async () => {
      const response = await withoutWriting(t, b.officer, caseB, () =>
        t.http.post(`/cases/${caseB}/explanation`).set(auth(a.cadre)).send({ statement: 'not mine' }),
      );
      expectRefusal(response, 404);
    });

    it('cannot verify audit trails', async () => {
      expectRefusal(await t.http.get(`/cases/${caseA}/audit/verify`).set(auth(a.cadre)), 403);
    });
  });

  describe('officers and leaders', () => {
    it('see their unit and its sub-units but not a sibling unit', async () => {
      for (const user of [a.officer, a.leader]) {
        expect(ids(await list(user))).toEqual([caseA, caseA2, caseA1].sort());
        await t.http.get(`/cases/${caseA1}`).set(auth(user)).expect(200);
        expectRefusal(await t.http.get(`/cases/${caseB}`).set(auth(user)), 404);
        expectRefusal(await t.http.get(`/cases/${caseB}/audit`).set(auth(user)), 404);
      }
      expect(ids(await list(b.leader))).toEqual([caseB]);
    });

    it('do not see the unit above them', async () => {
      expect(ids(await list(a1.officer))).toEqual([caseA1]);
      expectRefusal(await t.http.get(`/cases/${caseA}`).set(auth(a1.leader)), 404);
    });

    it('cannot filter their way into a sibling unit', async () => {
      expect(await list(a.officer, `?subjectId=${b.cadre.id}`)).toMatchObject({ items: [], total: 0 });
    });

    it('cannot act on a sibling unit’s case', async () => {
      const response = await withoutWriting(t, b.officer, caseB, () =>
        t.http.post(`/cases/${caseB}/withdraw`).set(auth(a.officer)).send({ reason: 'not ours' }),
      );
      expectRefusal(response, 404);
    });

    it('cannot open a case about a cadre outside their unit', async () => {
      const before = (await list(b.officer)).total as number;
      const response = await t.http
        .post('/cases')
        .set(auth(a.officer))
        .send({ ...NEW_CASE, subjectId: b.cadre.id });
      expectRefusal(response, 403);
      expect((await list(b.officer)).total).toBe(before);
    });
  });

  describe('pagination and filters', () => {
    let c: Cast;
    let opened: string[];
    let withdrawn: string;
    let tolerated: string;

    beforeAll(async () => {
      c = await createCast(t, await t.createUnit('C'));
      opened = [];
      for (let i = 0; i < 5; i++) {
        opened.push((await openCase(t, c)).id);
      }
      withdrawn = opened[0];
      await t.http.post(`/cases/${withdrawn}/withdraw`).set(auth(c.officer)).send({ reason: 'unfounded' }).expect(200);
      tolerated = (await caseAwaitingReview(t, c)).id;
      await t.http.post(`/cases/${tolerated}/review`).set(auth(c.leader)).send({ decision: 'approve' }).expect(200);
    });

    it('pages through every case exactly once', async () => {
      const pages = [];
      for (let page = 1; page <= 3; page++) {
        pages.push(await list(c.officer, `?page=${page}&pageSize=2`));
      }
      expect(pages.map((p) => [p.page, p.pageSize, p.total, p.items.length])).toEqual([
        [1, 2, 6, 2],
        [2, 2, 6, 2],
        [3, 2, 6, 2],
      ]);
      expect(pages.flatMap((p) => ids(p)).sort()).toEqual([...opened, tolerated].sort());
      expect(await list(c.officer, '?page=4&pageSize=2')).toMatchObject({ items: [], total: 6, page: 4 });
    });

    it('defaults to page 1 of 20', async () => {
      expect(await list(c.officer)).toMatchObject({ page: 1, pageSize: 20, total: 6 });
    });

    it('filters on state and outcome', async () => {
      expect(ids(await list(c.officer, '?state=withdrawn'))).toEqual([withdrawn]);
      expect(ids(await list(c.officer, '?state=decided&outcome=tolerate'))).toEqual([tolerated]);
      expect(await list(c.officer, '?outcome=hold-accountable')).toMatchObject({ items: [], total: 0 });
      expect((await list(c.officer, '?state=awaitingExplanation')).total).toBe(4);
      expect(ids(await list(c.cadre, '?state=decided'))).toEqual([tolerated]);
    });

    it('refuses bad query values, naming the parameter', async () => {
      expectRefusal(await t.http.get('/cases?state=lost').set(auth(c.officer)), 400, 'state');
      expectRefusal(await t.http.get('/cases?pageSize=101').set(auth(c.officer)), 400, 'pageSize');
      expectRefusal(await t.http.get('/cases?page=0').set(auth(c.officer)), 400, 'page');
      expectRefusal(await t.http.get('/cases?subjectId=me').set(auth(c.officer)), 400, 'subjectId');
    });
  });

  describe('the directory', () => {
    it('lists users without password hashes', async () => {
      const users = await t.http
        .get('/users')
        .set(auth(await t.adminToken()))
        .expect(200);
      expect(users.body.length).toBeGreaterThan(10);
      expect(users.body[0]).toEqual(
        expect.objectContaining({ id: expect.any(String), username: expect.any(String), roles: expect.any(Array) }),
      );
      const text = JSON.stringify(users.body);
      expect(text).not.toMatch(/hash|"password"|\$argon2/i);
    });

    it('refuses non-admins on /users and /units', async () => {
      for (const user of [a.officer, a.leader, a.cadre]) {
        expectRefusal(await t.http.get('/users').set(auth(user)), 403);
        expectRefusal(await t.http.get('/units').set(auth(user)), 403);
        expectRefusal(await t.http.post('/units').set(auth(user)).send({ name: 'Rogue' }), 403);
        const newUser = { username: 'rogue', password: 'long-enough-password', displayName: 'R', roles: ['admin'], unitId: t.rootUnitId };
        expectRefusal(await t.http.post('/users').set(auth(user)).send(newUser), 403);
      }
    });

    it('lets the admin create units and users, and refuses a duplicate username', async () => {
      const admin = auth(await t.adminToken());
      const unit = await t.http.post('/units').set(admin).send({ name: 'Township', parentId: t.rootUnitId }).expect(201);
      expect(unit.body).toMatchObject({ id: expect.any(String), name: 'Township', parentId: t.rootUnitId });
      const input = { username: 'li.na', password: 'a-long-password-1', displayName: '李娜', roles: ['cadre'], unitId: unit.body.id };
      const created = await t.http.post('/users').set(admin).send(input).expect(201);
      expect(created.body).toMatchObject({
        id: expect.any(String),
        username: 'li.na',
        displayName: '李娜',
        roles: ['cadre'],
        unitId: unit.body.id,
      });
      expect(JSON.stringify(created.body)).not.toMatch(/hash|"password"|\$argon2/i);
      await t.login('li.na', 'a-long-password-1');
      expectRefusal(
        await t.http
          .post('/users')
          .set(admin)
          .send({ ...input, displayName: 'Someone else' }),
        409,
        'username',
      );
      const units = await t.http.get('/units').set(admin).expect(200);
      expect(units.body.map((u: { id: string }) => u.id)).toContain(unit.body.id);
    });
  });
});
