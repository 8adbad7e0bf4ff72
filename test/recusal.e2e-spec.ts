import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { ALL_ACTIONS } from './support/case-life.js';
import { expectRefusal, footprint, withoutWriting } from './support/expectations.js';
import { ADMIN_PASSWORD, auth, NEW_CASE, TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './support/test-app.js';

interface AccessLogEntry {
  userId: string;
  action: string;
  reason: string;
  at: string;
}

interface ActionExplanation {
  action: string;
  allowed: boolean;
  reason: string | null;
}

/** Recusal (回避) and separation of duties: who is kept off a case, and what the refused attempt leaves behind. */
describe('recusal (回避) and separation of duties', () => {
  let t: TestApp;
  let cast: Cast;
  let adminToken: string;
  let adminId: string;

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: '3600000' });
    cast = await createCast(t);
    const login = await t.http.post('/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
    adminToken = login.body.accessToken as string;
    adminId = login.body.user.id as string;
  });
  afterAll(() => t.stop());

  const declare = (as: TestUser | string, body: Record<string, unknown>) => t.http.post('/conflicts').set(auth(as)).send(body);
  const accessLog = async (viewer: TestUser | string, caseId: string): Promise<AccessLogEntry[]> =>
    (await t.http.get(`/cases/${caseId}/access-log`).set(auth(viewer)).expect(200)).body as AccessLogEntry[];
  const explain = async (viewer: TestUser, caseId: string): Promise<ActionExplanation[]> =>
    (await t.http.get(`/cases/${caseId}/allowed-actions`).set(auth(viewer)).expect(200)).body as ActionExplanation[];
  const entry = (entries: ActionExplanation[], action: string) => entries.find((e) => e.action === action);

  describe('declaring a conflict: POST /conflicts', () => {
    it('a leader declares their own conflict with a cadre: 201 with the recorded declaration', async () => {
      const leader = await t.user(['leader']);
      const cadre = await t.user(['cadre']);
      const response = await declare(leader, { userId: leader.id, subjectId: cadre.id, reason: 'the cadre is my brother-in-law' }).expect(
        201,
      );
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: leader.id,
        subjectId: cadre.id,
        reason: 'the cadre is my brother-in-law',
        recordedBy: leader.id,
        createdAt: t.clock.now().toISOString(),
      });
      const mine = await t.http.get('/conflicts').set(auth(leader)).expect(200);
      expect(mine.body).toEqual([response.body]);
    });

    it('a non-admin cannot declare a conflict for someone else (403), and nothing is recorded', async () => {
      const officer = await t.user(['officer']);
      const leader = await t.user(['leader']);
      const cadre = await t.user(['cadre']);
      expectRefusal(await declare(officer, { userId: leader.id, subjectId: cadre.id, reason: 'I heard they are friends' }), 403, 'own');
      expect((await declare(officer, { userId: leader.id, subjectId: cadre.id, reason: 'I heard they are friends' })).body.refusal).toBe(
        'ROLE',
      );
      const leaderConflicts = await t.http.get('/conflicts').set(auth(leader)).expect(200);
      expect(leaderConflicts.body).toEqual([]);
      // The leader can still declare it themself: the refused attempt left no row behind.
      await declare(leader, { userId: leader.id, subjectId: cadre.id, reason: 'friends since school' }).expect(201);
    });

    it('an admin records a conflict for another user: 201, recordedBy is the admin', async () => {
      const officer = await t.user(['officer']);
      const cadre = await t.user(['cadre']);
      const response = await declare(adminToken, { userId: officer.id, subjectId: cadre.id, reason: 'witness in the report' }).expect(201);
      expect(response.body).toMatchObject({
        userId: officer.id,
        subjectId: cadre.id,
        recordedBy: adminId,
        reason: 'witness in the report',
      });
      const officerSees = await t.http.get('/conflicts').set(auth(officer)).expect(200);
      expect(officerSees.body.map((c: { id: string }) => c.id)).toEqual([response.body.id]);
      const adminSees = await t.http.get('/conflicts').set(auth(adminToken)).expect(200);
      expect(adminSees.body.map((c: { id: string }) => c.id)).toContain(response.body.id);
    });

    it('declaring the same conflict twice: 409', async () => {
      const leader = await t.user(['leader']);
      const cadre = await t.user(['cadre']);
      await declare(leader, { userId: leader.id, subjectId: cadre.id, reason: 'relative' }).expect(201);
      expectRefusal(await declare(leader, { userId: leader.id, subjectId: cadre.id, reason: 'relative, again' }), 409, 'already');
      expect((await declare(leader, { userId: leader.id, subjectId: cadre.id, reason: 'relative, again' })).body.refusal).toBe('DUPLICATE');
      expectRefusal(await declare(adminToken, { userId: leader.id, subjectId: cadre.id, reason: 'recorded by the admin too' }), 409);
      const conflicts = await t.http.get('/conflicts').set(auth(leader)).expect(200);
      expect(conflicts.body).toHaveLength(1);
    });

    it('an unknown subject, or a subject who is not a cadre: 422', async () => {
      const leader = await t.user(['leader']);
      const officer = await t.user(['officer']);
      expectRefusal(await declare(leader, { userId: leader.id, subjectId: randomUUID(), reason: 'unknown' }), 422, 'subjectId');
      expectRefusal(await declare(leader, { userId: leader.id, subjectId: officer.id, reason: 'not a cadre' }), 422, 'subjectId');
      expectRefusal(await declare(adminToken, { userId: randomUUID(), subjectId: cast.cadre.id, reason: 'no such user' }), 422, 'userId');
      expect((await t.http.get('/conflicts').set(auth(leader)).expect(200)).body).toEqual([]);
    });

    it('a cadre cannot be recused from their own cases: 422', async () => {
      expectRefusal(await declare(cast.cadre, { userId: cast.cadre.id, subjectId: cast.cadre.id, reason: 'me' }), 422, 'own case');
    });

    describe('only about a cadre the declarer could act on (issue 16: writing into another county’s cases)', () => {
      let countyA: string;
      let countyB: string;
      let cadreA: TestUser;
      let caseA: string;

      beforeAll(async () => {
        countyA = await t.createUnit('County A');
        countyB = await t.createUnit('County B');
        const castA = await createCast(t, countyA);
        cadreA = castA.cadre;
        caseA = (await openCase(t, castA)).id;
      });

      const recusalsOf = async (caseId: string) =>
        (await t.http.get(`/cases/${caseId}`).set(auth(adminToken)).expect(200)).body.recusals as unknown[];

      it('an officer of another county cannot attach a reason to the cadre’s cases, and learns nothing about the id', async () => {
        const outsider = await t.user(['officer'], countyB);
        const intoCase = await declare(outsider, { userId: outsider.id, subjectId: cadreA.id, reason: 'injected text for the dossier' });
        const unknownId = await declare(outsider, { userId: outsider.id, subjectId: randomUUID(), reason: 'probe' });
        const notACadre = await declare(outsider, {
          userId: outsider.id,
          subjectId: (await t.user(['officer'], countyA)).id,
          reason: 'probe',
        });
        for (const response of [intoCase, unknownId, notACadre]) {
          expectRefusal(response, 422, 'subjectId: no cadre with this id');
        }
        // "unknown" and "out of reach" answer alike: same status, same message
        expect(new Set([intoCase, unknownId, notACadre].map((r) => `${r.status} ${r.body.message}`)).size).toBe(1);
        expect(await recusalsOf(caseA)).toEqual([]);
        expect((await t.http.get('/conflicts').set(auth(outsider)).expect(200)).body).toEqual([]);
      });

      it('a cadre (of any county) declares no conflict: 403, and nothing reaches the case view', async () => {
        const cadreB = await t.user(['cadre'], countyB);
        const sameUnit = await t.user(['cadre'], countyA);
        for (const cadre of [cadreB, sameUnit]) {
          expectRefusal(await declare(cadre, { userId: cadre.id, subjectId: cadreA.id, reason: 'text for your case view' }), 403, '回避');
        }
        expect(await recusalsOf(caseA)).toEqual([]);
      });

      it('an admin cannot record a conflict for a user out of the cadre’s reach either (422)', async () => {
        const outsider = await t.user(['leader'], countyB);
        expectRefusal(await declare(adminToken, { userId: outsider.id, subjectId: cadreA.id, reason: 'x' }), 422, 'subjectId');
        const cadreB = await t.user(['cadre'], countyB);
        expectRefusal(await declare(adminToken, { userId: cadreB.id, subjectId: cadreA.id, reason: 'x' }), 422, 'userId');
        expect(await recusalsOf(caseA)).toEqual([]);
      });

      it('a leader of the county or a unit above it declares as before: 201, shown on the case', async () => {
        const township = await t.createUnit('Township under County A', countyA);
        const cadreBelow = await t.user(['cadre'], township);
        const countyLeader = await t.user(['leader'], countyA);
        await declare(countyLeader, { userId: countyLeader.id, subjectId: cadreBelow.id, reason: 'my cousin' }).expect(201);
        const provinceLeader = await t.user(['leader']); // the root unit, above County A
        await declare(provinceLeader, { userId: provinceLeader.id, subjectId: cadreA.id, reason: 'my neighbour' }).expect(201);
        expect(await recusalsOf(caseA)).toEqual([{ userId: provinceLeader.id, reason: 'my neighbour' }]);
        // GET /conflicts lists only the caller's own (all for an admin): not the cadre's, not a colleague's
        const listed = async (user: TestUser | string) =>
          (await t.http.get('/conflicts').set(auth(user)).expect(200)).body as Array<{ userId: string; subjectId: string }>;
        expect(await listed(cadreA)).toEqual([]);
        expect(await listed(countyLeader)).toEqual([expect.objectContaining({ userId: countyLeader.id, subjectId: cadreBelow.id })]);
        expect((await listed(adminToken)).map((c) => c.userId)).toEqual(expect.arrayContaining([countyLeader.id, provinceLeader.id]));
      });
    });

    it('a malformed declaration: 400', async () => {
      const leader = await t.user(['leader']);
      expectRefusal(await declare(leader, { userId: leader.id, subjectId: 'not-a-uuid', reason: 'x' }), 400, 'subjectId');
      expectRefusal(await declare(leader, { userId: leader.id, subjectId: cast.cadre.id, reason: '' }), 400, 'reason');
    });
  });

  describe('a conflicted leader on a case pending review', () => {
    let conflicted: TestUser;
    let caseId: string;
    const REASON = 'the cadre is my nephew';

    beforeAll(async () => {
      conflicted = await t.user(['leader']);
      caseId = (await caseAwaitingReview(t, cast)).id;
      // Declared after the case was opened: recusal covers open cases too.
      await declare(conflicted, { userId: conflicted.id, subjectId: cast.cadre.id, reason: REASON }).expect(201);
    });

    it('cannot review: 403 naming the recusal (回避); the case, its version and its audit trail are unchanged', async () => {
      const before = await footprint(t, cast.officer, caseId);
      const response = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/review`).set(auth(conflicted)).send({ decision: 'approve' }),
      );
      expectRefusal(response, 403, '回避');
      expect(await footprint(t, cast.officer, caseId)).toEqual({ ...before, state: 'pendingReview' });
      expect(response.body.refusal).toBe('RECUSAL');
    });

    it('the refusal is written to the access log, not to the audit trail', async () => {
      const auditBefore = (await t.http.get(`/cases/${caseId}/audit`).set(auth(cast.officer)).expect(200)).body as unknown[];
      const logBefore = await accessLog(cast.officer, caseId);
      const at = t.clock.now().toISOString();
      await t.http.post(`/cases/${caseId}/review`).set(auth(conflicted)).send({ decision: 'approve' }).expect(403);

      const log = await accessLog(cast.officer, caseId);
      expect(log).toHaveLength(logBefore.length + 1);
      expect(log[0]).toEqual({ userId: conflicted.id, action: 'review', reason: expect.stringContaining('回避'), at });
      const audit = (await t.http.get(`/cases/${caseId}/audit`).set(auth(cast.officer)).expect(200)).body as Array<{ type: string }>;
      expect(audit).toEqual(auditBefore);
      expect(audit.map((e) => e.type)).toEqual(['case.opened', 'explanation.submitted', 'assessment.recorded']);
      const verify = await t.http.get(`/cases/${caseId}/audit/verify`).set(auth(cast.officer)).expect(200);
      expect(verify.body).toMatchObject({ valid: true, length: 3 });
    });

    it('the access log is readable by officers, leaders and admins, not by the cadre', async () => {
      const entries = await accessLog(cast.officer, caseId);
      expect(entries.length).toBeGreaterThan(0);
      expect(await accessLog(cast.leader, caseId)).toEqual(entries);
      expect(await accessLog(adminToken, caseId)).toEqual(entries);
      expectRefusal(await t.http.get(`/cases/${caseId}/access-log`).set(auth(cast.cadre)), 403);
    });

    it('the case view lists the recusal, and review is not among the conflicted leader’s allowed actions', async () => {
      const view = await t.http.get(`/cases/${caseId}`).set(auth(cast.officer)).expect(200);
      expect(view.body.recusals).toEqual([{ userId: conflicted.id, reason: REASON }]);
      const asConflicted = await t.http.get(`/cases/${caseId}`).set(auth(conflicted)).expect(200);
      expect(asConflicted.body.allowedActions).toEqual([]);
      const asLeader = await t.http.get(`/cases/${caseId}`).set(auth(cast.leader)).expect(200);
      expect(asLeader.body.allowedActions).toEqual(['review']);
    });

    it('GET /cases/:id/allowed-actions explains every action, with the recusal as the reason', async () => {
      const forConflicted = await explain(conflicted, caseId);
      expect(forConflicted.map((e) => e.action)).toEqual(ALL_ACTIONS);
      for (const e of forConflicted) {
        expect(e).toEqual({ action: e.action, allowed: expect.any(Boolean), reason: expect.any(String) });
      }
      expect(entry(forConflicted, 'review')).toEqual({ action: 'review', allowed: false, reason: expect.stringContaining('回避') });
      const classified = (await t.http.get(`/cases/${caseId}/allowed-actions?include=refusal`).set(auth(conflicted)).expect(200))
        .body as Array<ActionExplanation & { refusal: string | null }>;
      // A leader only: the leader's commands are refused by the recusal, every other one by the role.
      expect(classified.map((e) => e.refusal)).toEqual(
        ALL_ACTIONS.map((action) => (action === 'review' || action === 'appeal-review' ? 'RECUSAL' : 'ROLE')),
      );
      expectRefusal(await t.http.get(`/cases/${caseId}/allowed-actions?include=everything`).set(auth(conflicted)), 400, 'include');
      expect(forConflicted.every((e) => !e.allowed)).toBe(true);

      const forLeader = await explain(cast.leader, caseId);
      expect(entry(forLeader, 'review')).toEqual({ action: 'review', allowed: true, reason: null });
      expect(entry(forLeader, 'assessment')).toEqual({ action: 'assessment', allowed: false, reason: 'requires the officer role' });
      const stranger = await t.user(['cadre']);
      expectRefusal(await t.http.get(`/cases/${caseId}/allowed-actions`).set(auth(stranger)), 404);
      const forCadre = await explain(cast.cadre, caseId);
      expect(entry(forCadre, 'explanation')).toMatchObject({ allowed: false, reason: expect.stringContaining('pendingReview') });
    });

    it('the review is a task for the other leaders, not for the conflicted one', async () => {
      const reviewTasks = async (user: TestUser) =>
        ((await t.http.get('/me/tasks').set(auth(user)).expect(200)).body.items as Array<{ caseId: string; action: string }>).filter(
          (task) => task.caseId === caseId,
        );
      expect(await reviewTasks(conflicted)).toEqual([]);
      expect(await reviewTasks(cast.leader)).toEqual([expect.objectContaining({ action: 'review' })]);
    });

    it('another, unconflicted leader reviews the case as usual', async () => {
      const other = await t.user(['leader']);
      const decided = await t.http.post(`/cases/${caseId}/review`).set(auth(other)).send({ decision: 'approve' }).expect(200);
      expect(decided.body).toMatchObject({ state: 'decided', outcome: 'tolerate', review: { by: other.id } });
    });
  });

  describe('a conflicted officer', () => {
    let conflictedOfficer: TestUser;
    let subject: Cast;

    beforeAll(async () => {
      subject = await createCast(t);
      conflictedOfficer = await t.user(['officer']);
      await declare(adminToken, { userId: conflictedOfficer.id, subjectId: subject.cadre.id, reason: 'business partner' }).expect(201);
    });

    it('cannot assess a case of that cadre (403, logged), which stays under assessment', async () => {
      const opened = await openCase(t, subject);
      await t.http.post(`/cases/${opened.id}/explanation`).set(auth(subject.cadre)).send({ statement: 'x' }).expect(200);
      const response = await withoutWriting(t, subject.officer, opened.id, () =>
        t.http.post(`/cases/${opened.id}/assessment`).set(auth(conflictedOfficer)).send(TOLERABLE_ASSESSMENT),
      );
      expectRefusal(response, 403, '回避');
      const view = await t.http.get(`/cases/${opened.id}`).set(auth(subject.officer)).expect(200);
      expect(view.body).toMatchObject({ state: 'underAssessment', assessment: null, recommendation: null });
      expect(await accessLog(subject.officer, opened.id)).toEqual([
        { userId: conflictedOfficer.id, action: 'assessment', reason: expect.stringContaining('回避'), at: expect.any(String) },
      ]);
      expect(entry(await explain(conflictedOfficer, opened.id), 'assessment')).toMatchObject({
        allowed: false,
        reason: expect.stringContaining('回避'),
      });
    });

    it('cannot open a case about that cadre (403), and no case is created', async () => {
      const before = await t.http.get(`/cases?subjectId=${subject.cadre.id}`).set(auth(subject.officer)).expect(200);
      const response = await t.http
        .post('/cases')
        .set(auth(conflictedOfficer))
        .send({ ...NEW_CASE, subjectId: subject.cadre.id });
      expectRefusal(response, 403, '回避');
      const after = await t.http.get(`/cases?subjectId=${subject.cadre.id}`).set(auth(subject.officer)).expect(200);
      expect(after.body.total).toBe(before.body.total);
      const notifications = await t.http.get('/me/notifications').set(auth(subject.cadre)).expect(200);
      expect(notifications.body.items.filter((n: { kind: string }) => n.kind === 'case.opened')).toHaveLength(before.body.total);
    });

    it('cannot withdraw a case of that cadre either (403)', async () => {
      const opened = await openCase(t, subject);
      const response = await withoutWriting(t, subject.officer, opened.id, () =>
        t.http.post(`/cases/${opened.id}/withdraw`).set(auth(conflictedOfficer)).send({ reason: 'unfounded' }),
      );
      expectRefusal(response, 403, '回避');
    });

    it('is not kept off another cadre’s cases', async () => {
      const opened = await openCase(t, cast);
      await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
      const assessed = await t.http
        .post(`/cases/${opened.id}/assessment`)
        .set(auth(conflictedOfficer))
        .send(TOLERABLE_ASSESSMENT)
        .expect(200);
      expect(assessed.body.state).toBe('pendingReview');
      const view = await t.http.get(`/cases/${opened.id}`).set(auth(cast.officer)).expect(200);
      expect(view.body.recusals.map((r: { userId: string }) => r.userId)).not.toContain(conflictedOfficer.id);
    });
  });

  describe('separation of duties', () => {
    it('the assessor cannot review their own assessment: 403, explained and written to the access log', async () => {
      const officerLeader = await t.user(['officer', 'leader']);
      const opened = await openCase(t, cast);
      await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
      await t.http.post(`/cases/${opened.id}/assessment`).set(auth(officerLeader)).send(TOLERABLE_ASSESSMENT).expect(200);

      expect(entry(await explain(officerLeader, opened.id), 'review')).toEqual({
        action: 'review',
        allowed: false,
        reason: 'you assessed this case',
      });
      const response = await withoutWriting(t, cast.officer, opened.id, () =>
        t.http.post(`/cases/${opened.id}/review`).set(auth(officerLeader)).send({ decision: 'approve' }),
      );
      expectRefusal(response, 403, 'you assessed this case');
      expect(response.body.refusal).toBe('SEPARATION_OF_DUTIES');
      expect(await accessLog(cast.leader, opened.id)).toEqual([
        { userId: officerLeader.id, action: 'review', reason: 'you assessed this case', at: t.clock.now().toISOString() },
      ]);
    });

    it('a missing role is refused but is not a fairness refusal: the access log stays empty', async () => {
      const pending = await caseAwaitingReview(t, cast);
      expectRefusal(await t.http.post(`/cases/${pending.id}/review`).set(auth(cast.officer)).send({ decision: 'approve' }), 403);
      expect(await accessLog(cast.officer, pending.id)).toEqual([]);
    });
  });
});
