import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './support/test-app.js';

interface TaskItem {
  caseId: string;
  title: string;
  action: string;
  actionId: string | null;
  dueAt: string | null;
  overdue: boolean;
}

interface NotificationItem {
  id: string;
  caseId: string | null;
  kind: string;
  message: string;
  createdAt: string;
  readAt: string | null;
  read: boolean;
}

/** Monday 2026-01-05, 17:00 in Asia/Shanghai. */
const MONDAY_5PM_SHANGHAI = new Date('2026-01-05T09:00:00.000Z');

const CORRECTABLE_ASSESSMENT = { ...TOLERABLE_ASSESSMENT, conditions: { ...TOLERABLE_ASSESSMENT.conditions, remedied: false } };

describe('GET /me/tasks: what each person must do now', () => {
  let t: TestApp;
  let cast: Cast;
  let officerLeader: TestUser; // assesses, and is also a leader of the unit
  let otherCadre: TestUser;
  let siblingOfficer: TestUser;
  let caseId: string;
  let otherCaseId: string;

  const tasks = async (user: TestUser): Promise<TaskItem[]> => {
    const response = await t.http.get('/me/tasks').set(auth(user)).expect(200);
    expect(response.body.at).toBe(t.clock.now().toISOString());
    return response.body.items as TaskItem[];
  };
  const tasksOn = async (user: TestUser, id = caseId) => (await tasks(user)).filter((task) => task.caseId === id);

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: '3600000' });
    t.clock.set(MONDAY_5PM_SHANGHAI);
    const unit = await t.createUnit('Township');
    const sibling = await t.createUnit('Neighbouring township');
    cast = await createCast(t, unit);
    officerLeader = await t.user(['officer', 'leader'], unit);
    otherCadre = await t.user(['cadre'], unit);
    siblingOfficer = await t.user(['officer', 'leader'], sibling);
    otherCaseId = (await openCase(t, { ...cast, cadre: otherCadre })).id;
  });
  afterAll(() => t.stop());

  /** Someone who is not involved in the case: the other cadre, and the officer of a sibling unit. */
  const expectNoTasksForOutsiders = async () => {
    expect(await tasksOn(otherCadre)).toEqual([]);
    expect(await tasksOn(siblingOfficer)).toEqual([]);
  };

  it('right after opening, the subject must explain within 5 working days, by the end of the local day', async () => {
    const opened = await openCase(t, cast);
    caseId = opened.id;
    expect(await tasksOn(cast.cadre)).toEqual([
      {
        caseId,
        title: opened.title,
        action: 'explanation',
        actionId: null,
        // Mon 17:00 → Tue, Wed, Thu, Fri, Mon: the end of Monday 12 January in Shanghai (UTC+8).
        dueAt: '2026-01-12T15:59:59.999Z',
        overdue: false,
      },
    ]);
    for (const user of [cast.officer, cast.assessor, cast.leader, officerLeader]) {
      expect(await tasksOn(user)).toEqual([]);
    }
    await expectNoTasksForOutsiders();
    // The other cadre has their own explanation to give, on their own case only.
    expect((await tasks(otherCadre)).map((task) => [task.caseId, task.action])).toEqual([[otherCaseId, 'explanation']]);
  });

  it('after the explanation, the unit’s officers must assess; the cadre has nothing left to do', async () => {
    await t.http
      .post(`/cases/${caseId}/explanation`)
      .set(auth(cast.cadre))
      .send({ statement: 'I followed the pilot mandate.' })
      .expect(200);
    expect(await tasksOn(cast.cadre)).toEqual([]);
    for (const officer of [cast.officer, cast.assessor, officerLeader]) {
      expect(await tasksOn(officer)).toEqual([expect.objectContaining({ action: 'assessment', dueAt: null, overdue: false })]);
    }
    expect(await tasksOn(cast.leader)).toEqual([]);
    await expectNoTasksForOutsiders();
  });

  it('after the assessment, the leaders must review within 10 working days; the assessor has no review task', async () => {
    await t.http.post(`/cases/${caseId}/assessment`).set(auth(officerLeader)).send(CORRECTABLE_ASSESSMENT).expect(200);
    const review = {
      caseId,
      title: expect.any(String),
      action: 'review',
      actionId: null,
      dueAt: '2026-01-19T15:59:59.999Z',
      overdue: false,
    };
    expect(await tasksOn(cast.leader)).toEqual([review]);
    expect(await tasksOn(cast.otherLeader)).toEqual([review]);
    expect(await tasksOn(officerLeader)).toEqual([]);
    for (const user of [cast.officer, cast.assessor, cast.cadre]) {
      expect(await tasksOn(user)).toEqual([]);
    }
    await expectNoTasksForOutsiders();
  });

  it('after a `correct` decision the officers must set corrective actions; appealing is a right, not a task', async () => {
    const decided = await t.http.post(`/cases/${caseId}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    expect(decided.body).toMatchObject({ state: 'decided', outcome: 'correct' });
    expect(await tasksOn(cast.officer)).toEqual([expect.objectContaining({ action: 'corrective-actions', dueAt: null, actionId: null })]);
    expect(await tasksOn(cast.cadre)).toEqual([]);
    expect(await tasksOn(cast.leader)).toEqual([]);
    expect(await tasksOn(cast.otherLeader)).toEqual([]);
    await expectNoTasksForOutsiders();
  });

  let actionId: string;
  let actionDueAt: string;

  it('once an action is set, the cadre must report it done by its due date; the officers’ task is gone', async () => {
    const added = await t.http
      .post(`/cases/${caseId}/corrective-actions`)
      .set(auth(cast.officer))
      .send({ description: 'Submit a rectification plan for the pilot budget' })
      .expect(201);
    actionId = added.body.id as string;
    actionDueAt = added.body.dueAt as string;
    expect(actionDueAt > t.clock.now().toISOString()).toBe(true);
    expect(await tasksOn(cast.cadre)).toEqual([
      { caseId, title: expect.any(String), action: 'corrective-action-report', actionId, dueAt: actionDueAt, overdue: false },
    ]);
    expect(await tasksOn(cast.officer)).toEqual([]);
    await expectNoTasksForOutsiders();
  });

  it('once the cadre reports, an officer must verify', async () => {
    await t.http
      .post(`/cases/${caseId}/corrective-actions/${actionId}/report`)
      .set(auth(cast.cadre))
      .send({ note: 'Plan submitted.' })
      .expect(200);
    expect(await tasksOn(cast.cadre)).toEqual([]);
    const verify = { caseId, title: expect.any(String), action: 'corrective-action-verify', actionId, dueAt: actionDueAt, overdue: false };
    expect(await tasksOn(cast.officer)).toEqual([verify]);
    expect(await tasksOn(cast.assessor)).toEqual([verify]);
    await expectNoTasksForOutsiders();
  });

  it('a task becomes overdue once the clock passes its due date (and not at the due instant itself)', async () => {
    t.clock.set(new Date(actionDueAt));
    expect(await tasksOn(cast.officer)).toEqual([expect.objectContaining({ action: 'corrective-action-verify', overdue: false })]);
    t.clock.advance(1);
    expect(await tasksOn(cast.officer)).toEqual([
      expect.objectContaining({ action: 'corrective-action-verify', dueAt: actionDueAt, overdue: true }),
    ]);
  });

  it('verifying the last action empties everyone’s list for the case', async () => {
    // The appeal window ended long ago, but no sweep ran: the case is still `decided`, and verification is allowed.
    const verified = await t.http
      .post(`/cases/${caseId}/corrective-actions/${actionId}/verify`)
      .set(auth(cast.assessor))
      .send({ accepted: true, note: 'Plan checked.' })
      .expect(200);
    expect(verified.body.status).toBe('verified');
    for (const user of [cast.officer, cast.assessor, cast.cadre, cast.leader, officerLeader]) {
      expect(await tasksOn(user)).toEqual([]);
    }
  });

  it('the explanation task turns overdue one millisecond after the end of its last working day', async () => {
    t.clock.set(MONDAY_5PM_SHANGHAI);
    const cadre = await t.user(['cadre'], cast.cadre.unitId);
    const opened = await openCase(t, { ...cast, cadre });
    expect(await tasksOn(cadre, opened.id)).toEqual([expect.objectContaining({ dueAt: '2026-01-12T15:59:59.999Z', overdue: false })]);
    t.clock.set(new Date('2026-01-12T15:59:59.999Z'));
    expect(await tasksOn(cadre, opened.id)).toEqual([expect.objectContaining({ action: 'explanation', overdue: false })]);
    t.clock.advance(1);
    expect(await tasksOn(cadre, opened.id)).toEqual([expect.objectContaining({ action: 'explanation', overdue: true })]);
  });

  it('the working days are counted in Shanghai: a case opened at 02:00 on Saturday (Friday in UTC) is due Friday week', async () => {
    t.clock.set(new Date('2026-01-09T18:00:00.000Z')); // Saturday 10 January, 02:00 in Shanghai
    const cadre = await t.user(['cadre'], cast.cadre.unitId);
    const opened = await openCase(t, { ...cast, cadre });
    // Counting starts on Monday 12: Mon–Fri, so the end of Friday 16 January in Shanghai.
    expect(await tasksOn(cadre, opened.id)).toEqual([
      expect.objectContaining({ action: 'explanation', dueAt: '2026-01-16T15:59:59.999Z' }),
    ]);
  });

  it('tasks across cases come soonest first', async () => {
    t.clock.set(MONDAY_5PM_SHANGHAI);
    const cadre = await t.user(['cadre'], cast.cadre.unitId);
    const later = await openCase(t, { ...cast, cadre });
    t.clock.set(new Date('2026-01-02T09:00:00.000Z')); // an earlier case, opened the Friday before
    const sooner = await openCase(t, { ...cast, cadre });
    // Fri 2 Jan is in the New Year holiday; Sun 4 Jan is a make-up working day (official calendar), so five
    // working days end on Thu 8 Jan, not on Fri 9 as Monday–Friday alone would count.
    expect((await tasks(cadre)).map((task) => [task.caseId, task.dueAt])).toEqual([
      [sooner.id, '2026-01-08T15:59:59.999Z'],
      [later.id, '2026-01-12T15:59:59.999Z'],
    ]);
  });
});

describe('GET /me/notifications', () => {
  let t: TestApp;
  let cast: Cast;

  const inbox = async (user: TestUser, query = '') => {
    const response = await t.http.get(`/me/notifications${query}`).set(auth(user)).expect(200);
    return response.body as { items: NotificationItem[]; unread: number };
  };
  const kindsOn = async (user: TestUser, caseId: string) =>
    (await inbox(user)).items
      .filter((n) => n.caseId === caseId)
      .map((n) => n.kind)
      .sort();

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: '3600000' });
  });
  afterAll(() => t.stop());
  beforeEach(async () => {
    cast = await createCast(t);
  });

  it('the subject is told a case was opened, and later what was decided; the leader who decided is not', async () => {
    const opened = await openCase(t, cast);
    const first = await inbox(cast.cadre);
    expect(first).toEqual({
      items: [
        {
          id: expect.any(String),
          caseId: opened.id,
          kind: 'case.opened',
          message: expect.stringContaining(opened.title as string),
          createdAt: t.clock.now().toISOString(),
          readAt: null,
          read: false,
        },
      ],
      unread: 1,
      total: 1,
      page: 1,
      pageSize: 200,
    });
    expect(await kindsOn(cast.officer, opened.id)).toEqual([]);

    await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
    await t.http.post(`/cases/${opened.id}/assessment`).set(auth(cast.assessor)).send(TOLERABLE_ASSESSMENT).expect(200);
    t.clock.advance(60_000);
    await t.http.post(`/cases/${opened.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);

    const after = await inbox(cast.cadre);
    expect(after.items.map((n) => n.kind)).toEqual(['case.decided', 'case.opened']);
    expect(after.items[0]).toMatchObject({
      caseId: opened.id,
      read: false,
      createdAt: t.clock.now().toISOString(),
      message: expect.stringContaining('tolerate'),
    });
    expect(after.unread).toBe(2);
    expect(await kindsOn(cast.officer, opened.id)).toEqual(['case.decided']);
    expect(await kindsOn(cast.leader, opened.id)).toEqual([]);
    expect(await kindsOn(cast.assessor, opened.id)).toEqual([]);
  });

  it('?unread=true lists only unread ones; marking one read drops the unread count', async () => {
    const first = await openCase(t, cast);
    const second = await openCase(t, cast);
    const all = await inbox(cast.cadre);
    expect(all.unread).toBe(2);
    const target = all.items.find((n) => n.caseId === first.id)!;

    t.clock.advance(60_000);
    const marked = await t.http.post(`/me/notifications/${target.id}/read`).set(auth(cast.cadre)).expect(200);
    expect(marked.body).toEqual({ ...target, read: true, readAt: t.clock.now().toISOString() });

    const unread = await inbox(cast.cadre, '?unread=true');
    expect(unread.items.map((n) => n.caseId)).toEqual([second.id]);
    expect(unread.unread).toBe(1);
    const everything = await inbox(cast.cadre);
    expect(everything.unread).toBe(1);
    expect(everything.items.find((n) => n.id === target.id)).toMatchObject({ read: true, readAt: marked.body.readAt });
    expect((await inbox(cast.cadre, '?unread=false')).items).toHaveLength(2);

    // Marking again changes nothing: the first reading time stays.
    t.clock.advance(60_000);
    const again = await t.http.post(`/me/notifications/${target.id}/read`).set(auth(cast.cadre)).expect(200);
    expect(again.body.readAt).toBe(marked.body.readAt);
  });

  it('nobody can mark (or see) another user’s notification: 404, and it stays unread', async () => {
    const opened = await openCase(t, cast);
    const [notification] = (await inbox(cast.cadre)).items.filter((n) => n.caseId === opened.id);
    const stranger = await t.user(['cadre']);
    expectRefusal(await t.http.post(`/me/notifications/${notification.id}/read`).set(auth(stranger)), 404);
    expectRefusal(await t.http.post(`/me/notifications/${notification.id}/read`).set(auth(cast.officer)), 404);
    expect((await inbox(stranger)).items).toEqual([]);
    expect((await inbox(cast.cadre)).items.find((n) => n.id === notification.id)).toMatchObject({ read: false, readAt: null });
    expectRefusal(await t.http.post(`/me/notifications/${randomUUID()}/read`).set(auth(cast.cadre)), 404);
    expectRefusal(await t.http.post('/me/notifications/42/read').set(auth(cast.cadre)), 400, 'id');
    expectRefusal(await t.http.get('/me/notifications?unread=maybe').set(auth(cast.cadre)), 400, 'unread');
  });

  describe('no notification is written for a refused command', () => {
    let conflicted: TestUser;
    let caseId: string;
    let involved: TestUser[];

    const counts = async () => Promise.all(involved.map(async (user) => (await inbox(user)).items.length));

    beforeEach(async () => {
      conflicted = await t.user(['leader']);
      await t.http
        .post('/conflicts')
        .set(auth(conflicted))
        .send({ userId: conflicted.id, subjectId: cast.cadre.id, reason: 'my cousin' })
        .expect(201);
      caseId = (await caseAwaitingReview(t, cast)).id;
      involved = [cast.cadre, cast.officer, cast.assessor, cast.leader, cast.otherLeader, conflicted];
    });

    it('an override without a reason (422) notifies nobody', async () => {
      const before = await counts();
      const response = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/review`).set(auth(cast.leader)).send({ decision: 'override', outcome: 'correct' }),
      );
      expectRefusal(response, 422, 'reason');
      expect(await counts()).toEqual(before);
    });

    it('a recused leader’s approval (403) notifies nobody', async () => {
      const before = await counts();
      const response = await withoutWriting(t, cast.officer, caseId, () =>
        t.http.post(`/cases/${caseId}/review`).set(auth(conflicted)).send({ decision: 'approve' }),
      );
      expectRefusal(response, 403, '回避');
      expect(await counts()).toEqual(before);
    });

    it('a stale If-Match (412) or a command the state does not allow (409) notifies nobody', async () => {
      const before = await counts();
      expectRefusal(
        await t.http.post(`/cases/${caseId}/review`).set(auth(cast.leader)).set('If-Match', '1').send({ decision: 'approve' }),
        412,
      );
      expectRefusal(await t.http.post(`/cases/${caseId}/appeal`).set(auth(cast.cadre)).send({ reason: 'too early' }), 409);
      expect(await counts()).toEqual(before);
    });

    it('whereas the accepted approval notifies exactly the subject and the opening officer', async () => {
      const before = await counts();
      await t.http.post(`/cases/${caseId}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
      const after = await counts();
      // involved = [cadre, officer, assessor, leader, otherLeader, conflicted]
      expect(after).toEqual([before[0] + 1, before[1] + 1, before[2], before[3], before[4], before[5]]);
    });
  });
});
