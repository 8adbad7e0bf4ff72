import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import {
  APPEAL_DUE,
  ASSESSMENT_FOR,
  auditOf,
  caseView,
  decidedCase,
  EXPLANATION_DUE,
  justAfter,
  START,
  startQuietApp,
  sweep,
} from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { SAMPLES } from './support/sample-files.js';
import { type ForgedEvent, rewriteChain } from './support/tamper.js';
import { auth, type TestApp, TOLERABLE_ASSESSMENT } from './support/test-app.js';

interface VerifyBody {
  valid: boolean;
  length: number;
  firstInvalidSeq: number | null;
  replay: {
    matches: boolean;
    divergedAtSeq: number | null;
    reason: string | null;
    field: string | null;
    expected: unknown;
    actual: unknown;
  };
}

/**
 * Replay (issue 4): verify re-runs every event through the machine and policy version it was recorded
 * under and compares the result with the stored case; `?asOf=` shows the case as it stood at a time.
 */
describe('replayed history', () => {
  let t: TestApp;
  let base: Cast;

  beforeAll(async () => {
    t = await startQuietApp();
    base = await createCast(t);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.clock.set(START));

  const freshCast = async (): Promise<Cast> => ({ ...base, cadre: await t.user(['cadre']) });
  const verify = async (id: string) =>
    (await t.http.get(`/cases/${id}/audit/verify`).set(auth(base.officer)).expect(200)).body as VerifyBody;
  const post = (id: string, path: string, user: Cast[keyof Cast], body: Record<string, unknown>) =>
    t.http
      .post(`/cases/${id}/${path}`)
      .set(auth(user))
      .send(body)
      .expect((r) => expect([200, 201]).toContain(r.status));

  async function expectIntact(id: string, length: number) {
    expect(await verify(id)).toEqual({
      valid: true,
      length,
      firstInvalidSeq: null,
      replay: { matches: true, divergedAtSeq: null, reason: null, field: null, expected: null, actual: null },
    });
  }

  describe('of whole lifecycles matches the stored case', () => {
    it('tolerated, appeal window closed by the sweeper', async () => {
      const { id } = await decidedCase(t, await freshCast(), 'tolerate');
      t.clock.set(justAfter(APPEAL_DUE));
      await sweep(t);
      expect((await caseView(t, base.officer, id)).state).toBe('closed');
      await expectIntact(id, 5);
    });

    it('corrected: actions added, one rejected and redone, verified after the window closed', async () => {
      const cast = await freshCast();
      const { id } = await decidedCase(t, cast, 'correct');
      const first = (await post(id, 'corrective-actions', cast.officer, { description: 'Rectification plan' })).body as { id: string };
      const second = (await post(id, 'corrective-actions', cast.officer, { description: 'Refund the overspend' })).body as { id: string };
      await post(id, `corrective-actions/${first.id}/report`, cast.cadre, { note: 'Plan filed.' });
      await post(id, `corrective-actions/${first.id}/verify`, cast.officer, { accepted: false, note: 'No timetable.' });
      t.clock.set(justAfter(APPEAL_DUE));
      await sweep(t);
      expect((await caseView(t, base.officer, id)).state).toBe('correcting');
      for (const action of [first, second]) {
        await post(id, `corrective-actions/${action.id}/report`, cast.cadre, { note: 'Done.' });
        await post(id, `corrective-actions/${action.id}/verify`, cast.officer, { accepted: true, note: 'Checked.' });
      }
      expect((await caseView(t, base.officer, id)).state).toBe('closed');
      await expectIntact(id, 13);
    });

    it('overridden, then revised on appeal by an uninvolved leader', async () => {
      const cast = await freshCast();
      const pending = await caseAwaitingReview(t, cast, ASSESSMENT_FOR.tolerate);
      await post(pending.id, 'review', cast.leader, { decision: 'override', outcome: 'hold-accountable', reason: 'Public harm.' });
      await post(pending.id, 'appeal', cast.cadre, { reason: 'The harm was remedied.' });
      await post(pending.id, 'appeal-review', cast.otherLeader, { decision: 'revise', outcome: 'tolerate', reason: 'Remedied in time.' });
      await expectIntact(pending.id, 6);
    });

    it('withdrawn with the name cleared', async () => {
      const cast = await freshCast();
      const opened = await openCase(t, cast);
      await post(opened.id, 'withdraw', cast.officer, { reason: 'Unfounded report.', clearName: true });
      await expectIntact(opened.id, 2);
    });

    it('explanation missed, returned and reassessed, review escalated', async () => {
      const cast = await freshCast();
      const opened = await openCase(t, cast);
      t.clock.set(justAfter(EXPLANATION_DUE));
      await sweep(t);
      await post(opened.id, 'assessment', cast.assessor, TOLERABLE_ASSESSMENT);
      await post(opened.id, 'review', cast.leader, { decision: 'return', reason: 'Check the remedy.' });
      await post(opened.id, 'assessment', cast.assessor, ASSESSMENT_FOR.correct);
      // The review deadline runs from the reassessment, made after the explanation deadline.
      t.clock.set(new Date('2026-03-02T00:00:00Z'));
      await sweep(t);
      expect((await auditOf(t, base.officer, opened.id)).map((e) => e.type)).toContain('deadline.escalated');
      await expectIntact(opened.id, 6);
    });
  });

  describe('catches what the hash chain cannot: a trail rewritten with every hash recomputed', () => {
    const rewrite = (id: string, edit: (events: ForgedEvent[]) => ForgedEvent[]) => rewriteChain(t.database, id, edit);

    it('an approval whose outcome was changed from the recommendation', async () => {
      const { id } = await decidedCase(t, await freshCast(), 'correct');
      await rewrite(id, (events) =>
        events.map((e) => (e.type === 'review.approved' ? { ...e, data: { ...e.data, outcome: 'tolerate' } } : e)),
      );
      const result = await verify(id);
      expect(result).toMatchObject({
        valid: true,
        length: 4,
        replay: { matches: false, divergedAtSeq: 4, expected: 'correct', actual: 'tolerate' },
      });
      expect(result.replay.reason).toMatch(/approved outcome/);
    });

    it('an assessment edited after the recommendation was made', async () => {
      const { id } = await decidedCase(t, await freshCast(), 'tolerate');
      await rewrite(id, (events) =>
        events.map((e) =>
          e.type === 'assessment.recorded'
            ? { ...e, data: { ...e.data, assessment: { ...TOLERABLE_ASSESSMENT, intent: 'intentional', exclusions: [] } } }
            : e,
        ),
      );
      const result = await verify(id);
      expect(result).toMatchObject({ valid: true, replay: { matches: false, divergedAtSeq: 3 } });
      expect(result.replay.reason).toMatch(/recommendation \(policy default v1/);
      expect(result.replay.expected).toMatchObject({ outcome: 'hold-accountable' });
      expect(result.replay.actual).toMatchObject({ outcome: 'tolerate' });
    });

    it('an event removed (the explanation) and the rest renumbered', async () => {
      const { id } = await decidedCase(t, await freshCast(), 'tolerate');
      await rewrite(id, (events) => events.filter((e) => e.type !== 'explanation.submitted'));
      const result = await verify(id);
      expect(result).toMatchObject({ valid: true, length: 3, replay: { matches: false, divergedAtSeq: 2 } });
      expect(result.replay.reason).toMatch(/not possible while the case is awaitingExplanation/);
    });

    it('two events swapped', async () => {
      const cast = await freshCast();
      const { id } = await decidedCase(t, cast, 'correct');
      await post(id, 'corrective-actions', cast.officer, { description: 'Rectification plan' });
      await rewrite(id, (events) => [events[0], events[2], events[1], ...events.slice(3)]);
      const result = await verify(id);
      expect(result).toMatchObject({ valid: true, replay: { matches: false, divergedAtSeq: 2 } });
    });

    it('an event of a type the machine never had', async () => {
      const { id } = await decidedCase(t, await freshCast(), 'tolerate');
      await rewrite(id, (events) => [...events, { ...events[3], id: crypto.randomUUID(), type: 'case.pardoned' }]);
      expect(await verify(id)).toMatchObject({ valid: true, replay: { matches: false, divergedAtSeq: 5, actual: 'case.pardoned' } });
    });
  });

  it('matches with evidence added and cited, and catches an evidence row edited behind the application', async () => {
    const cast = await freshCast();
    const opened = await openCase(t, cast);
    const uploaded = (
      await t.http.post(`/cases/${opened.id}/evidence`).set(auth(cast.cadre)).attach('file', SAMPLES.pdf, 'receipt.pdf').expect(201)
    ).body as { id: string };
    await post(opened.id, 'explanation', cast.cadre, { statement: 'See the receipt.', evidenceIds: [uploaded.id] });
    await post(opened.id, 'assessment', cast.assessor, { ...TOLERABLE_ASSESSMENT, evidence: { 'conditions.remedied': [uploaded.id] } });
    await expectIntact(opened.id, 4);
    await t.database.query('UPDATE evidence SET sha256 = ? WHERE id = ?', 'f'.repeat(64), uploaded.id);
    expect(await verify(opened.id)).toMatchObject({ valid: true, replay: { matches: false, field: 'evidence', divergedAtSeq: null } });
  });

  describe('catches a case row edited behind the application', () => {
    it.each([
      ['state', "state = 'closed'", 'decided', 'closed'],
      ['outcome', "outcome = 'tolerate'", 'hold-accountable', 'tolerate'],
      ['overridden', 'overridden = true', false, true],
      ['version', 'version = 9', 4, 9],
    ] as const)('%s', async (field, assignment, expected, actual) => {
      const { id } = await decidedCase(t, await freshCast(), 'hold-accountable');
      expect((await t.database.query(`UPDATE cases SET ${assignment} WHERE id = ?`, id)).changes).toBe(1);
      const result = await verify(id);
      expect(result).toMatchObject({ valid: true, replay: { matches: false, divergedAtSeq: null, field, expected, actual } });
    });
  });

  describe('?asOf= shows the case as it stood then', () => {
    const HOUR = 3600 * 1000;
    const at = (hours: number) => new Date(START.getTime() + hours * HOUR).toISOString();
    let cast: Cast;
    let id: string;

    beforeAll(async () => {
      cast = await freshCast();
      t.clock.set(START);
      id = (await openCase(t, cast)).id;
      t.clock.set(new Date(at(2)));
      await post(id, 'explanation', cast.cadre, { statement: 'I followed the pilot rules.' });
      t.clock.set(new Date(at(4)));
      await post(id, 'assessment', cast.assessor, ASSESSMENT_FOR.correct);
      t.clock.set(new Date(at(6)));
      await post(id, 'review', cast.leader, { decision: 'approve' });
    });

    const asOf = async (time: string, user = cast.officer) =>
      (await t.http.get(`/cases/${id}`).query({ asOf: time }).set(auth(user)).expect(200)).body as Record<string, unknown>;

    it('right after opening', async () => {
      expect(await asOf(at(1))).toMatchObject({
        state: 'awaitingExplanation',
        version: 1,
        explanation: null,
        recommendation: null,
        asOf: at(1),
      });
    });

    it('after the explanation, at the very instant it was recorded', async () => {
      expect(await asOf(at(2))).toMatchObject({
        state: 'underAssessment',
        version: 2,
        explanation: 'I followed the pilot rules.',
        updatedAt: at(2),
      });
    });

    it('pending review, with the recommendation', async () => {
      const view = await asOf(at(5));
      expect(view).toMatchObject({
        state: 'pendingReview',
        version: 3,
        outcome: null,
        recommendation: { outcome: 'correct', rule: 'R4-correct' },
      });
    });

    it('now: the same facts as the live view, but nothing to do', async () => {
      const live = await caseView(t, cast.officer, id);
      const past = await asOf(at(24));
      for (const field of [
        'state',
        'outcome',
        'recommendation',
        'version',
        'review',
        'decidedAt',
        'appealDueAt',
        'assessment',
        'explanation',
        'title',
        'policy',
      ]) {
        expect([field, past[field]]).toEqual([field, live[field]]);
      }
      expect(past.allowedActions).toEqual([]);
      expect(live.allowedActions).not.toEqual([]);
    });

    it('accepts an offset and compares in UTC', async () => {
      // 19:30 in Shanghai is 11:30Z: after the explanation (11:00Z), before the assessment (13:00Z).
      expect(await asOf('2026-01-05T19:30:00+08:00')).toMatchObject({ state: 'underAssessment', asOf: '2026-01-05T11:30:00.000Z' });
    });

    it('is 404 before the case was opened, and for a cadre who is not its subject', async () => {
      expectRefusal(
        await t.http.get(`/cases/${id}`).query({ asOf: '2026-01-04T00:00:00Z' }).set(auth(cast.officer)),
        404,
        /had not been opened by/,
      );
      const stranger = await t.user(['cadre']);
      expectRefusal(
        await t.http
          .get(`/cases/${id}`)
          .query({ asOf: at(5) })
          .set(auth(stranger)),
        404,
      );
      expect((await asOf(at(5), cast.cadre)).state).toBe('pendingReview');
    });

    it.each(['yesterday', '2026-W01', '20260107', '2026-007', '2026-01-07T12', '2026-01-07T12:00', '2026-02-30'])(
      'refuses %s with 400 naming asOf (not a date, or a form Date misreads)',
      async (value) => {
        expectRefusal(await t.http.get(`/cases/${id}`).query({ asOf: value }).set(auth(cast.officer)), 400, /asOf/);
      },
    );

    it('takes a plain date as midnight UTC', async () => {
      // Every step happened on 5 January between 09:00Z and 15:00Z.
      expect(await asOf('2026-01-06')).toMatchObject({ asOf: '2026-01-06T00:00:00.000Z', state: 'decided' });
      expectRefusal(await t.http.get(`/cases/${id}`).query({ asOf: '2026-01-05' }).set(auth(cast.officer)), 404);
    });

    it('leaves the live trail unchanged (reading is not a command)', async () => {
      expect((await auditOf(t, cast.officer, id)).length).toBe(4);
    });
  });
});
