import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { canSeeCase } from '../src/access/scope.js';
import type { AuthUser } from '../src/auth/auth-user.js';
import { CaseEntity } from '../src/cases/case.entity.js';
import { loadAggregate } from '../src/cases/case-aggregate.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { byDueDate, type Task, tasksFor } from '../src/me/task-list.js';
import { ORDERED_WALK_UNITS, TASK_ACTIONS } from '../src/me/task-query.js';
import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { APPEAL_DUE, CORRECT_ASSESSMENT, decidedCase, justAfter, START, startQuietApp, sweep } from './support/case-life.js';
import { auth, type TestApp, type TestUser } from './support/test-app.js';

interface TaskPage {
  items: Task[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<string, number>;
}

/**
 * The inbox's SQL (src/me/task-query.ts) against the pure rules it encodes: cases in every state, staff
 * with mixed roles, a recused officer and leader, leaders who opened, assessed or reviewed, a subject who is
 * also an officer, a sibling unit and the units above. For every user, the inbox read page by page must be
 * exactly what `tasksFor` (over allowedActions) gives over all the cases the user reaches, in the same order,
 * with the same counts per action.
 */
describe('GET /me/tasks follows the pure task rules (tasksFor) for every user', () => {
  let t: TestApp;
  const users: TestUser[] = [];

  const post = (path: string, user: TestUser, body: Record<string, unknown>) => t.http.post(path).set(auth(user)).send(body);

  beforeAll(async () => {
    t = await startQuietApp();
    t.clock.set(START);
    const county = await t.createUnit('County');
    const township = await t.createUnit('Township', county);
    const sibling = await t.createUnit('Sibling township', county);
    // Enough units that the county's and the root's staff read their page in task order across units
    // (task-query.ts, ORDERED_WALK_UNITS), while the township's seek their unit: both plans are checked.
    for (let i = 0; i < ORDERED_WALK_UNITS; i++) {
      await t.createUnit(`Empty township ${i}`, county);
    }
    const cast: Cast = await createCast(t, township);
    const mixed = await t.user(['officer', 'leader'], township); // assesses some cases, reviews others
    const countyOfficer = await t.user(['officer'], county);
    const countyLeader = await t.user(['leader'], county);
    const rootOfficerLeader = await t.user(['officer', 'leader']);
    const recusedOfficer = await t.user(['officer'], township);
    const recusedLeader = await t.user(['leader'], township);
    const officerCadre = await t.user(['officer', 'cadre'], township); // subject of a case in their own unit
    const secondCadre = await t.user(['cadre'], township);
    const siblingCast = await createCast(t, sibling);
    users.push(
      ...Object.values(cast),
      mixed,
      countyOfficer,
      countyLeader,
      rootOfficerLeader,
      recusedOfficer,
      recusedLeader,
      officerCadre,
      secondCadre,
    );
    users.push(...Object.values(siblingCast));

    for (const [user, subject] of [
      [recusedOfficer, cast.cadre],
      [recusedLeader, secondCadre],
    ] as const) {
      await post('/conflicts', user, { userId: user.id, subjectId: subject.id, reason: 'a relative' }).expect(201);
    }

    // Every open state, for two subjects and two units.
    await openCase(t, cast); // awaitingExplanation
    await openCase(t, { ...cast, cadre: secondCadre });
    await openCase(t, { ...cast, cadre: officerCadre }); // the officer-cadre must explain as cadre
    await openCase(t, siblingCast);
    const assessing = await openCase(t, cast);
    await post(`/cases/${assessing.id}/explanation`, cast.cadre, { statement: 'My account.' }).expect(200);
    const ownAssessing = await openCase(t, { ...cast, cadre: officerCadre });
    await post(`/cases/${ownAssessing.id}/explanation`, officerCadre, { statement: 'My account.' }).expect(200); // not the officer-cadre's to assess
    await caseAwaitingReview(t, cast); // pendingReview: the opener and assessor may not review
    await caseAwaitingReview(t, { ...cast, assessor: mixed, cadre: secondCadre }); // the mixed user assessed it
    await caseAwaitingReview(t, siblingCast);
    await decidedCase(t, cast, 'tolerate'); // decided: rights only
    const noActions = await decidedCase(t, cast, 'correct'); // decided correct: actions to set
    const withActions = await decidedCase(t, { ...cast, cadre: secondCadre }, 'correct');
    const first = await post(`/cases/${withActions.id}/corrective-actions`, cast.officer, { description: 'Rectify the budget' }).expect(
      201,
    );
    await post(`/cases/${withActions.id}/corrective-actions`, cast.officer, { description: 'Report to the county' }).expect(201);
    await post(`/cases/${withActions.id}/corrective-actions/${(first.body as { id: string }).id}/report`, secondCadre, {
      note: 'Done.',
    }).expect(200);
    const appealed = await decidedCase(t, cast, 'hold-accountable');
    await post(`/cases/${appealed.id}/appeal`, cast.cadre, { reason: 'The loss was recovered.' }).expect(200); // appealReview
    const revised = await decidedCase(t, { ...cast, cadre: secondCadre }, 'hold-accountable');
    await post(`/cases/${revised.id}/appeal`, secondCadre, { reason: 'Recovered.' }).expect(200);
    await post(`/cases/${revised.id}/appeal-review`, cast.otherLeader, {
      decision: 'revise',
      outcome: 'correct',
      reason: 'Remedied.',
    }).expect(200); // correcting
    const withdrawn = await openCase(t, cast);
    await post(`/cases/${withdrawn.id}/withdraw`, cast.officer, { reason: 'Unfounded.' }).expect(200);
    expect(noActions.state).toBe('decided');

    // Later: a review deadline past due but not yet swept (overdue), and a case whose appeal window closed.
    t.clock.set(new Date(START.getTime() + 7 * 24 * 3600 * 1000));
    const late = await decidedCase(t, cast, 'correct');
    t.clock.set(justAfter(APPEAL_DUE));
    await sweep(t); // the first cases' appeal windows close: correct → correcting, others closed
    await caseAwaitingReview(t, { ...cast, assessor: countyOfficer, cadre: secondCadre, leader: countyLeader }, CORRECT_ASSESSMENT);
    t.clock.set(new Date(justAfter(APPEAL_DUE).getTime() + 20 * 24 * 3600 * 1000)); // its review deadline passed, not yet swept
    await openCase(t, { ...cast, cadre: secondCadre }); // awaitingExplanation again, after the sweep moved the first ones on
    expect(late.outcome).toBe('correct');
  }, 120_000);
  afterAll(() => t.stop());

  /** What the pure rules give: tasksFor over every case the user reaches, in opening order, soonest due first. */
  async function expectedTasks(user: TestUser): Promise<Task[]> {
    const actor: AuthUser = { id: user.id, username: user.username, roles: user.roles, unitId: user.unitId };
    const now = t.clock.now();
    return t.app.get(UnitOfWork).read(async (manager) => {
      const cases = await manager.find(CaseEntity, { order: { createdAt: 'ASC', id: 'ASC' } });
      const tasks: Task[] = [];
      for (const row of cases) {
        // Reach as the inbox has it: one's own cases, and officers' and leaders' units (an admin's reading right is no task).
        const reaches =
          row.subjectId === actor.id ||
          ((actor.roles.includes('officer') || actor.roles.includes('leader')) && (await canSeeCase(manager, actor, row)));
        if (reaches) {
          tasks.push(...tasksFor(await loadAggregate(manager, row), actor, now));
        }
      }
      return tasks.sort(byDueDate);
    });
  }

  async function inboxPages(user: TestUser, pageSize: number): Promise<{ items: Task[]; pages: TaskPage[] }> {
    const pages: TaskPage[] = [];
    for (let page = 1; ; page++) {
      const body = (await t.http.get(`/me/tasks?page=${page}&pageSize=${pageSize}`).set(auth(user)).expect(200)).body as TaskPage;
      pages.push(body);
      if (body.items.length < pageSize) {
        return { items: pages.flatMap((p) => p.items), pages };
      }
    }
  }

  it('gives every user, page by page, exactly the tasks, order and counts of the pure rules', async () => {
    let nonEmpty = 0;
    const seen = new Set<string>();
    for (const user of users) {
      const expected = await expectedTasks(user);
      const { items, pages } = await inboxPages(user, 2);
      expect({ user: user.username, items }).toEqual({ user: user.username, items: expected });
      const counts = Object.fromEntries(TASK_ACTIONS.map((action) => [action, expected.filter((task) => task.action === action).length]));
      for (const page of pages) {
        expect(page).toMatchObject({ total: expected.length, pageSize: 2, counts });
      }
      nonEmpty += expected.length > 0 ? 1 : 0;
      expected.forEach((task) => seen.add(task.action));
    }
    // The fixture is varied enough to mean something: every kind of task occurs, and an overdue one.
    expect([...seen].sort()).toEqual([...TASK_ACTIONS].sort());
    expect(nonEmpty).toBeGreaterThan(8);
    const all = (await Promise.all(users.map((u) => expectedTasks(u)))).flat();
    expect(all.some((task) => task.overdue)).toBe(true);
  }, 120_000);

  it('cuts the inbox at the page size, counts beyond the page, and refuses a page size past 200 or a page past 10,000', async () => {
    const [busiest] = (await Promise.all(users.map(async (user) => ({ user, tasks: await expectedTasks(user) })))).sort(
      (a, b) => b.tasks.length - a.tasks.length,
    );
    expect(busiest.tasks.length).toBeGreaterThan(3);
    const first = (await t.http.get('/me/tasks?pageSize=1').set(auth(busiest.user)).expect(200)).body as TaskPage;
    expect(first).toMatchObject({ items: [busiest.tasks[0]], total: busiest.tasks.length, page: 1, pageSize: 1 });
    const beyond = (
      await t.http
        .get(`/me/tasks?page=${busiest.tasks.length + 1}&pageSize=1`)
        .set(auth(busiest.user))
        .expect(200)
    ).body as TaskPage;
    expect(beyond).toMatchObject({ items: [], total: busiest.tasks.length });
    const defaults = (await t.http.get('/me/tasks').set(auth(busiest.user)).expect(200)).body as TaskPage;
    expect(defaults).toMatchObject({ items: busiest.tasks, page: 1, pageSize: 50 });
    for (const [query, field] of [
      ['pageSize=201', 'pageSize'],
      ['pageSize=0', 'pageSize'],
      ['page=0', 'page'],
      ['page=10001', 'page'],
      ['page=1e400', 'page'],
    ] as const) {
      const refused = await t.http.get(`/me/tasks?${query}`).set(auth(busiest.user)).expect(400);
      expect(JSON.stringify((refused.body as { message: unknown }).message)).toContain(field);
    }
  });
});
