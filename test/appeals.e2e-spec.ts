import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { type Cast, createCast } from './support/case-actors.js';
import {
  ALL_ACTIONS,
  APPEAL_DUE,
  auditOf,
  caseView,
  decidedCase,
  justAfter,
  notificationsOf,
  type OutcomeName,
  recipients,
  START,
  startQuietApp,
  sweep,
} from './support/case-life.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, type TestApp, type TestUser } from './support/test-app.js';

/** Wed 2026-01-07 17:00 in Shanghai: two working days into the appeal window. */
const APPEALED_AT = new Date('2026-01-07T09:00:00.000Z');
/**
 * appealReview P30D from Wed 7 Jan: 27 working days through Fri 13 Feb, Sat 14 Feb (a make-up working day) is the
 * 28th, the Spring Festival holiday runs Feb 15–23, then Tue 24 and Wed 25 Feb. (Monday–Friday alone, before the
 * official calendar: Wed 18 Feb, in the middle of the holiday.)
 */
const APPEAL_REVIEW_DUE = '2026-02-25T15:59:59.999Z';

describe('appeals (申诉)', () => {
  let t: TestApp;
  let base: Cast;
  let uninvolved: TestUser;

  beforeAll(async () => {
    t = await startQuietApp();
    base = await createCast(t);
    uninvolved = await t.user(['leader']);
  });
  afterAll(() => t.stop());
  beforeEach(() => t.clock.set(START));

  /** A fresh subject for each case: an earlier tolerated case of the same cadre would make a repeat error. */
  const castWithNewCadre = async (overrides: Partial<Cast> = {}): Promise<Cast> => ({
    ...base,
    cadre: await t.user(['cadre']),
    ...overrides,
  });

  async function decided(outcome: OutcomeName, overrides: Partial<Cast> = {}) {
    const cast = await castWithNewCadre(overrides);
    return { cast, id: (await decidedCase(t, cast, outcome)).id };
  }

  const appeal = (cast: Cast, id: string, user: TestUser = cast.cadre) =>
    t.http.post(`/cases/${id}/appeal`).set(auth(user)).send({ reason: 'The loss was recovered before the audit.' });
  const rule = (id: string, leader: TestUser, body: Record<string, unknown>) =>
    t.http
      .post(`/cases/${id}/appeal-review`)
      .set(auth(leader))
      .send({ reason: 'Reviewed the file again.', ...body });

  async function appealed(outcome: OutcomeName, overrides: Partial<Cast> = {}) {
    const { cast, id } = await decided(outcome, overrides);
    t.clock.set(APPEALED_AT);
    await appeal(cast, id).expect(200);
    return { cast, id };
  }

  describe('submitting', () => {
    it('inside the window, by the subject, moves the case to appealReview with the decision still in force', async () => {
      const { cast, id } = await decided('hold-accountable');
      t.clock.set(APPEALED_AT);
      const response = await appeal(cast, id).expect(200);
      expect(response.body).toMatchObject({
        state: 'appealReview',
        outcome: 'hold-accountable',
        appealDueAt: APPEAL_DUE,
        appeal: {
          reason: 'The loss was recovered before the audit.',
          by: cast.cadre.id,
          at: APPEALED_AT.toISOString(),
          decision: null,
          decidedBy: null,
          originalOutcome: 'hold-accountable',
        },
        // the cadre may still add evidence for the appeal
        allowedActions: ['evidence'],
        deadlines: [{ kind: 'appealReview', dueAt: APPEAL_REVIEW_DUE, overdue: false, actionId: null }],
      });
      expect(response.headers.etag).toBe(`"${response.body.version}"`);
      const audit = await auditOf(t, cast.officer, id);
      expect(audit.at(-1)).toMatchObject({
        type: 'appeal.submitted',
        actorId: cast.cadre.id,
        actorRole: 'cadre',
        data: { outcomeInForce: 'hold-accountable', transition: { from: 'decided', to: 'appealReview' } },
      });
      const told = recipients(await notificationsOf(t, id, 'appeal.submitted'));
      expect(told).toEqual(expect.arrayContaining([cast.officer.id, cast.leader.id, uninvolved.id]));
      expect(told).not.toContain(cast.cadre.id);
    });

    it('is accepted at the last instant of the window', async () => {
      const { cast, id } = await decided('tolerate');
      t.clock.set(new Date(APPEAL_DUE));
      await appeal(cast, id).expect(200);
    });

    it('after the window has closed is refused with 409 even before any sweep ran, writing nothing', async () => {
      const { cast, id } = await decided('tolerate');
      t.clock.set(justAfter(APPEAL_DUE));
      const response = await withoutWriting(t, cast.officer, id, () => appeal(cast, id));
      expectRefusal(response, 409, 'the appeal window has closed');
      expect(response.body.refusal).toBe('APPEAL_WINDOW_CLOSED');
      expect((await caseView(t, cast.cadre, id)).allowedActions).toEqual(['evidence']);
      expect(await notificationsOf(t, id, 'appeal.submitted')).toEqual([]);
    });

    it('is allowed once per case: a second appeal is refused with 409, during and after the ruling', async () => {
      const { cast, id } = await appealed('tolerate');
      expectRefusal(await withoutWriting(t, cast.officer, id, () => appeal(cast, id)), 409);
      await rule(id, uninvolved, { decision: 'uphold' }).expect(200);
      expectRefusal(await withoutWriting(t, cast.officer, id, () => appeal(cast, id)), 409);
      // Not the window: the one appeal was made, so this is the case's state.
      expect((await withoutWriting(t, cast.officer, id, () => appeal(cast, id))).body.refusal).toBe('STATE');
    });

    it('only by the subject: another cadre does not see the case (404), an officer lacks the role (403)', async () => {
      const { cast, id } = await decided('tolerate');
      const stranger = await t.user(['cadre']);
      expectRefusal(await withoutWriting(t, cast.officer, id, () => appeal(cast, id, stranger)), 404);
      expectRefusal(await withoutWriting(t, cast.officer, id, () => appeal(cast, id, cast.officer)), 403);
      expect((await withoutWriting(t, cast.officer, id, () => appeal(cast, id, cast.officer))).body.refusal).toBe('ROLE');
    });
  });

  describe('the ruling (appeal-review)', () => {
    it('is refused (403) to the leader who reviewed the original decision, and the refusal is logged', async () => {
      const { cast, id } = await appealed('tolerate');
      const response = await withoutWriting(t, cast.officer, id, () => rule(id, cast.leader, { decision: 'uphold' }));
      expectRefusal(response, 403, 'you reviewed the original decision');
      expect(response.body.refusal).toBe('SEPARATION_OF_DUTIES');
      const log = await t.http.get(`/cases/${id}/access-log`).set(auth(cast.officer)).expect(200);
      expect(log.body).toEqual([
        expect.objectContaining({ userId: cast.leader.id, action: 'appeal-review', reason: 'you reviewed the original decision' }),
      ]);
    });

    it('is refused (403) to a leader who opened the case as officer', async () => {
      const openerLeader = await t.user(['officer', 'leader']);
      const { cast, id } = await appealed('tolerate', { officer: openerLeader });
      const response = await withoutWriting(t, cast.assessor, id, () => rule(id, openerLeader, { decision: 'uphold' }));
      expectRefusal(response, 403, 'you opened this case');
    });

    it('is refused (403) to a leader who assessed the case as officer', async () => {
      const assessorLeader = await t.user(['officer', 'leader']);
      const { cast, id } = await appealed('tolerate', { assessor: assessorLeader });
      const response = await withoutWriting(t, cast.officer, id, () => rule(id, assessorLeader, { decision: 'uphold' }));
      expectRefusal(response, 403, 'you assessed this case');
    });

    it('by an uninvolved leader upholding a tolerate decision closes the case', async () => {
      const { cast, id } = await appealed('tolerate');
      t.clock.set(new Date('2026-01-09T09:00:00.000Z'));
      const response = await rule(id, uninvolved, { decision: 'uphold' }).expect(200);
      expect(response.body).toMatchObject({
        state: 'closed',
        outcome: 'tolerate',
        closedAt: '2026-01-09T09:00:00.000Z',
        deadlines: [],
        appeal: { decision: 'uphold', decidedBy: uninvolved.id, decisionReason: 'Reviewed the file again.', originalOutcome: 'tolerate' },
      });
      expect((await auditOf(t, cast.officer, id)).at(-1)).toMatchObject({
        type: 'appeal.upheld',
        actorId: uninvolved.id,
        actorRole: 'leader',
        data: { decision: 'uphold', outcome: 'tolerate', previousOutcome: 'tolerate', transition: { from: 'appealReview', to: 'closed' } },
      });
      expect(recipients(await notificationsOf(t, id, 'appeal.decided'))).toEqual([cast.cadre.id, cast.officer.id].sort());
    });

    it('by an uninvolved leader revising to correct moves the case to correcting, where correction starts', async () => {
      const { cast, id } = await appealed('hold-accountable');
      const response = await rule(id, uninvolved, { decision: 'revise', outcome: 'correct' }).expect(200);
      expect(response.body).toMatchObject({ state: 'correcting', outcome: 'correct', closedAt: null, appeal: { decision: 'revise' } });
      expect((await auditOf(t, cast.officer, id)).at(-1)).toMatchObject({
        type: 'appeal.revised',
        data: { outcome: 'correct', previousOutcome: 'hold-accountable', transition: { from: 'appealReview', to: 'correcting' } },
      });
      const officerView = await caseView(t, cast.officer, id);
      expect(officerView.allowedActions).toEqual(['corrective-actions', 'corrective-action-verify', 'evidence']);
      await t.http.post(`/cases/${id}/corrective-actions`).set(auth(cast.officer)).send({ description: 'Rectification plan' }).expect(201);
    });

    it('revising a correct decision to tolerate closes the case', async () => {
      const { id } = await appealed('correct');
      const response = await rule(id, uninvolved, { decision: 'revise', outcome: 'tolerate' }).expect(200);
      expect(response.body).toMatchObject({ state: 'closed', outcome: 'tolerate' });
    });

    it.each([
      ['a revision without an outcome', { decision: 'revise' }, 'outcome'],
      ['a revision to the outcome in force', { decision: 'revise', outcome: 'tolerate' }, 'outcome'],
      ['an upheld decision naming an outcome', { decision: 'uphold', outcome: 'correct' }, 'outcome'],
    ])('refuses %s with 422, writing nothing', async (_name, body, field) => {
      const { cast, id } = await appealed('tolerate');
      const response = await withoutWriting(t, cast.officer, id, () => rule(id, uninvolved, body));
      expectRefusal(response, 422);
      expect(response.body.fields).toEqual([expect.objectContaining({ field })]);
    });

    it('is refused with 409 when there is no appeal to rule on', async () => {
      const { cast, id } = await decided('tolerate');
      expectRefusal(await withoutWriting(t, cast.officer, id, () => rule(id, uninvolved, { decision: 'uphold' })), 409);
    });

    it('once overdue, escalates to the opener and the unit’s leaders; the case stays in appealReview', async () => {
      const { cast, id } = await appealed('tolerate');
      t.clock.set(new Date(APPEAL_REVIEW_DUE));
      await sweep(t);
      expect(await notificationsOf(t, id, 'deadline.escalated')).toEqual([]);
      t.clock.set(justAfter(APPEAL_REVIEW_DUE));
      await sweep(t);
      expect((await caseView(t, cast.officer, id)).state).toBe('appealReview');
      const audit = await auditOf(t, cast.officer, id);
      expect(audit.filter((e) => e.type === 'deadline.escalated')).toEqual([
        expect.objectContaining({ actorId: 'system', data: expect.objectContaining({ kind: 'appealReview', dueAt: APPEAL_REVIEW_DUE }) }),
      ]);
      const told = recipients(await notificationsOf(t, id, 'deadline.escalated'));
      expect(told).toEqual(expect.arrayContaining([cast.officer.id, cast.leader.id, cast.otherLeader.id, uninvolved.id]));
      expect(told).not.toContain(cast.cadre.id);
      // the ruling is still possible after the escalation
      await rule(id, uninvolved, { decision: 'uphold' }).expect(200);
    });
  });

  describe('GET /cases/:id/allowed-actions', () => {
    const explained = async (user: TestUser, id: string) =>
      (await t.http.get(`/cases/${id}/allowed-actions`).set(auth(user)).expect(200)).body as Array<{
        action: string;
        allowed: boolean;
        reason: string | null;
      }>;
    const entry = async (user: TestUser, id: string, action: string) => (await explained(user, id)).find((e) => e.action === action);

    it('explains who may rule on the appeal and why the others may not', async () => {
      const openerLeader = await t.user(['officer', 'leader']);
      const { cast, id } = await appealed('tolerate', { officer: openerLeader });
      expect(await entry(cast.leader, id, 'appeal-review')).toEqual({
        action: 'appeal-review',
        allowed: false,
        reason: 'you reviewed the original decision',
      });
      expect(await entry(openerLeader, id, 'appeal-review')).toEqual({
        action: 'appeal-review',
        allowed: false,
        reason: 'you opened this case',
      });
      expect(await entry(uninvolved, id, 'appeal-review')).toEqual({ action: 'appeal-review', allowed: true, reason: null });
      expect(await entry(cast.cadre, id, 'appeal-review')).toEqual({
        action: 'appeal-review',
        allowed: false,
        reason: 'requires the leader role',
      });
      const classified = async (user: TestUser) =>
        (
          (await t.http.get(`/cases/${id}/allowed-actions?include=refusal`).set(auth(user)).expect(200)).body as Array<{
            action: string;
            refusal: string | null;
          }>
        ).find((e) => e.action === 'appeal-review');
      expect(await classified(cast.leader)).toMatchObject({
        allowed: false,
        reason: 'you reviewed the original decision',
        refusal: 'SEPARATION_OF_DUTIES',
      });
      expect(await classified(uninvolved)).toEqual({ action: 'appeal-review', allowed: true, reason: null, refusal: null });
      expect(await classified(cast.cadre)).toMatchObject({ allowed: false, refusal: 'ROLE' });
    });

    it('explains to the cadre whether an appeal is still possible', async () => {
      const { cast, id } = await decided('tolerate');
      expect(await entry(cast.cadre, id, 'appeal')).toEqual({ action: 'appeal', allowed: true, reason: null });
      t.clock.set(justAfter(APPEAL_DUE));
      expect(await entry(cast.cadre, id, 'appeal')).toEqual({ action: 'appeal', allowed: false, reason: 'the appeal window has closed' });
      const withKind = await t.http.get(`/cases/${id}/allowed-actions?include=refusal`).set(auth(cast.cadre)).expect(200);
      expect(withKind.body.find((e: { action: string }) => e.action === 'appeal')).toEqual({
        action: 'appeal',
        allowed: false,
        reason: 'the appeal window has closed',
        refusal: 'APPEAL_WINDOW_CLOSED',
      });
      expect((await explained(cast.cadre, id)).map((e) => e.action)).toEqual(ALL_ACTIONS);
    });

    it('is 404 for a user who may not see the case', async () => {
      const { id } = await decided('tolerate');
      expectRefusal(await t.http.get(`/cases/${id}/allowed-actions`).set(auth(await t.user(['cadre']))), 404);
    });
  });
});
