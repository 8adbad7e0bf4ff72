import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { UnitOfWork } from '../src/database/unit-of-work.js';
import { UnitEntity } from '../src/users/unit.entity.js';
import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { caseCountMismatches } from './support/case-life.js';
import { footprint } from './support/expectations.js';
import { auth, NEW_CASE, TestApp, type TestUser } from './support/test-app.js';

const statuses = (responses: Array<{ status: number }>) =>
  responses.reduce<Record<number, number>>((count, r) => ({ ...count, [r.status]: (count[r.status] ?? 0) + 1 }), {});
/** The distinct `refusal` kinds of some refused answers. */
const refusalsOf = (responses: Array<{ body: { refusal?: string } }>) => [...new Set(responses.map((r) => r.body.refusal))];

describe('concurrent commands', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
  });
  afterAll(async () => {
    // Refused and rolled-back commands left the kept case counts (SQLite) exactly as the cases are.
    expect(await caseCountMismatches(t)).toEqual([]);
    await t.stop();
  });

  async function expectSingleReview(caseId: string): Promise<void> {
    const audit = await t.http.get(`/cases/${caseId}/audit`).set(auth(cast.officer)).expect(200);
    expect(audit.body.map((e: { type: string }) => e.type)).toEqual([
      'case.opened',
      'explanation.submitted',
      'assessment.recorded',
      'review.approved',
    ]);
    const verify = await t.http.get(`/cases/${caseId}/audit/verify`).set(auth(cast.leader)).expect(200);
    expect(verify.body).toMatchObject({ valid: true, length: 4, firstInvalidSeq: null, replay: { matches: true } });
    expect((await t.http.get(`/cases/${caseId}`).set(auth(cast.officer))).body).toMatchObject({ state: 'decided', version: 4 });
  }

  it('20 leaders approving one case at once: one 200, nineteen 409, one review event', async () => {
    const leaders: TestUser[] = [];
    for (let i = 0; i < 20; i++) {
      leaders.push(await t.user(['leader']));
    }
    const pending = await caseAwaitingReview(t, cast);
    const responses = await Promise.all(
      leaders.map((leader) => t.http.post(`/cases/${pending.id}/review`).set(auth(leader)).send({ decision: 'approve' })),
    );
    expect(statuses(responses)).toEqual({ 200: 1, 409: 19 });
    // The losers waited for the winner's commit (row lock / one queue), then found the case decided.
    expect(refusalsOf(responses.filter((r) => r.status === 409))).toEqual(['STATE']);
    const winner = responses.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ state: 'decided', outcome: 'tolerate', version: 4 });
    await expectSingleReview(pending.id);
    const audit = await t.http.get(`/cases/${pending.id}/audit`).set(auth(cast.officer)).expect(200);
    expect(leaders.map((l) => l.id)).toContain(audit.body[3].actorId);
  });

  it('the same leader sending approve 20 times at once: one 200, nineteen 409', async () => {
    const pending = await caseAwaitingReview(t, cast);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.http.post(`/cases/${pending.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' })),
    );
    expect(statuses(responses)).toEqual({ 200: 1, 409: 19 });
    // The losers waited for the winner's commit (row lock / one queue), then found the case decided.
    expect(refusalsOf(responses.filter((r) => r.status === 409))).toEqual(['STATE']);
    await expectSingleReview(pending.id);
  });

  it('a burst of accepted and refused commands: every acknowledged one is kept, no refused one wrote', async () => {
    const accepted: string[] = [];
    const wrongState: string[] = [];
    const ruleBroken: string[] = [];
    for (let i = 0; i < 10; i++) {
      accepted.push((await openCase(t, cast)).id);
      wrongState.push((await openCase(t, cast)).id);
      ruleBroken.push((await caseAwaitingReview(t, cast)).id);
    }
    const before = new Map<string, Awaited<ReturnType<typeof footprint>>>();
    for (const id of [...wrongState, ...ruleBroken]) {
      before.set(id, await footprint(t, cast.officer, id));
    }

    // Interleave the requests so accepted and refused commands share group-commit batches.
    const burst = accepted.flatMap((id, i) => [
      t.http
        .post(`/cases/${id}/explanation`)
        .set(auth(cast.cadre))
        .send({ statement: `statement ${i}` }),
      t.http.post(`/cases/${wrongState[i]}/review`).set(auth(cast.leader)).send({ decision: 'approve' }),
      t.http.post(`/cases/${ruleBroken[i]}/review`).set(auth(cast.leader)).send({ decision: 'override', outcome: 'correct' }),
      t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, title: `burst ${i}`, subjectId: cast.cadre.id }),
    ]);
    const responses = await Promise.all(burst);
    const byKind = (k: number) => responses.filter((_, index) => index % 4 === k);
    expect(byKind(0).map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(byKind(1).map((r) => r.status)).toEqual(Array(10).fill(409));
    expect(byKind(2).map((r) => r.status)).toEqual(Array(10).fill(422));
    expect(refusalsOf(byKind(1))).toEqual(['STATE']);
    expect(refusalsOf(byKind(2))).toEqual(['RULE']);
    expect(byKind(3).map((r) => r.status)).toEqual(Array(10).fill(201));

    for (const [i, id] of accepted.entries()) {
      const view = await t.http.get(`/cases/${id}`).set(auth(cast.officer)).expect(200);
      expect(view.body).toMatchObject({ state: 'underAssessment', version: 2, explanation: `statement ${i}` });
      const audit = await t.http.get(`/cases/${id}/audit`).set(auth(cast.officer)).expect(200);
      expect(audit.body.map((e: { type: string }) => e.type)).toEqual(['case.opened', 'explanation.submitted']);
      expect((await t.http.get(`/cases/${id}/audit/verify`).set(auth(cast.officer))).body.valid).toBe(true);
    }
    for (const [id, footprintBefore] of before) {
      expect(await footprint(t, cast.officer, id)).toEqual(footprintBefore);
    }
    for (const response of byKind(3)) {
      const id = response.body.id as string;
      expect(await footprint(t, cast.officer, id)).toEqual({ state: 'awaitingExplanation', version: 1, auditLength: 1 });
    }
    const burstTitles = await t.http.get('/cases?pageSize=100').set(auth(cast.officer)).expect(200);
    const titles = burstTitles.body.items.map((item: { title: string }) => item.title).filter((title: string) => title.startsWith('burst'));
    expect(titles.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `burst ${i}`).sort());
  });

  it('UnitOfWork: jobs that fail after writing roll back alone; every acknowledged job is durable', async () => {
    const uow = t.app.get(UnitOfWork);
    const marker = `uow-${randomUUID()}`;
    const insertUnit = (name: string) => (manager: Parameters<Parameters<UnitOfWork['run']>[0]>[0]) =>
      manager.insert(UnitEntity, {
        id: randomUUID(),
        name,
        parentId: null,
        path: `/${randomUUID()}/`,
        createdAt: new Date().toISOString(),
      });

    // All queued in the same tick, so they run in one batch (one transaction, one savepoint each).
    const jobs = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? uow.run(async (manager) => {
            await insertUnit(`${marker}-ok-${i}`)(manager);
            return i;
          })
        : uow.run(async (manager) => {
            await insertUnit(`${marker}-fail-${i}-a`)(manager);
            await insertUnit(`${marker}-fail-${i}-b`)(manager);
            throw new Error(`job ${i} refused`);
          }),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBe(20);
    const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    expect(reasons).toEqual(Array.from({ length: 20 }, (_, k) => `job ${2 * k + 1} refused`));

    const expected = Array.from({ length: 20 }, (_, k) => `${marker}-ok-${2 * k}`).sort();
    const seenByApp = await uow.run((manager) => manager.find(UnitEntity));
    expect(
      seenByApp
        .map((u) => u.name)
        .filter((name) => name.startsWith(marker))
        .sort(),
    ).toEqual(expected);

    // A second connection sees only committed data: the acknowledged rows are on disk, the refused ones nowhere.
    const { rows } = await t.database.query<{ name: string }>('SELECT name FROM units WHERE name LIKE ?', `${marker}%`);
    expect(rows.map((r) => r.name).sort()).toEqual(expected);
  });

  it('UnitOfWork: a later batch is unaffected by a failure in an earlier one, and reads see committed writes', async () => {
    const uow = t.app.get(UnitOfWork);
    const name = `uow-${randomUUID()}`;
    await expect(
      uow.run(async (manager) => {
        await manager.insert(UnitEntity, { id: randomUUID(), name, parentId: null, path: '/x/', createdAt: '2026-01-01T00:00:00Z' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    const id = randomUUID();
    await uow.run((manager) =>
      manager.insert(UnitEntity, { id, name, parentId: null, path: `/${id}/`, createdAt: '2026-01-01T00:00:00Z' }),
    );
    const found = await uow.run((manager) => manager.find(UnitEntity, { where: { name } }));
    expect(found.map((u) => u.id)).toEqual([id]);
  });
});
