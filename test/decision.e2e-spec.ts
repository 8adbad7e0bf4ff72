import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { CORRECT_ASSESSMENT, decidedCase, START, startQuietApp } from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { SAMPLES } from './support/sample-files.js';
import { auth, type TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './support/test-app.js';

interface DecisionBody {
  recommendation: { outcome: string; rule: string; trace: unknown[]; policy: { id: string; version: number } };
  final: { outcome: string; by: string; reason: string | null; at: string; source: string } | null;
  overridden: boolean;
  factors: Array<{ name: string; value: unknown; evidenceIds: string[] }>;
  counterfactuals: Array<{ change: Record<string, unknown>; outcome: string; rule: string; changesOutcome: boolean }>;
}

describe('GET /cases/:id/decision (explained decisions)', () => {
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

  /** A fresh subject per case: an earlier tolerated case of the same cadre would make a repeat error. */
  const freshCast = async (): Promise<Cast> => ({ ...base, cadre: await t.user(['cadre']) });
  const decision = (id: string, viewer: TestUser | string) => t.http.get(`/cases/${id}/decision`).set(auth(viewer));
  const review = (id: string, body: Record<string, unknown>) =>
    t.http.post(`/cases/${id}/review`).set(auth(base.leader)).send(body).expect(200);

  it('lists, per factor, the evidence the assessment cited', async () => {
    const cast = await freshCast();
    const opened = await openCase(t, cast);
    const upload = async (user: TestUser, bytes: Buffer, name: string) =>
      ((await t.http.post(`/cases/${opened.id}/evidence`).set(auth(user)).attach('file', bytes, name).expect(201)).body as { id: string })
        .id;
    const receipt = await upload(cast.cadre, SAMPLES.pdf, 'refund-receipt.pdf');
    const minutes = await upload(cast.officer, SAMPLES.docx, 'meeting-minutes.docx');
    await t.http
      .post(`/cases/${opened.id}/explanation`)
      .set(auth(cast.cadre))
      .send({ statement: 'Refunded.', evidenceIds: [receipt] })
      .expect(200);
    const evidence = { 'conditions.remedied': [receipt], 'conditions.procedureFollowed': [minutes], intent: [minutes, receipt] };
    await t.http
      .post(`/cases/${opened.id}/assessment`)
      .set(auth(cast.assessor))
      .send({ ...TOLERABLE_ASSESSMENT, evidence })
      .expect(200);
    const body = (await decision(opened.id, cast.cadre).expect(200)).body as DecisionBody;
    const cited = Object.fromEntries(body.factors.map((f) => [f.name, f.evidenceIds]));
    expect(cited).toMatchObject({
      intent: [minutes, receipt],
      'conditions.remedied': [receipt],
      'conditions.procedureFollowed': [minutes],
      motive: [],
      severity: [],
    });
  });

  it('is refused with 409 before an assessment is recorded', async () => {
    const cast = await freshCast();
    const opened = await openCase(t, cast);
    expectRefusal(await decision(opened.id, cast.officer), 409, 'no recommendation yet');
    expect((await decision(opened.id, cast.officer)).body.refusal).toBe('STATE');
    await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'Statement.' }).expect(200);
    expectRefusal(await decision(opened.id, cast.cadre), 409, 'no recommendation yet');
  });

  it('after the assessment: the recommendation, no final decision, every factor, and what it turned on', async () => {
    const cast = await freshCast();
    const pending = await caseAwaitingReview(t, cast, CORRECT_ASSESSMENT);
    const body = (await decision(pending.id, cast.officer).expect(200)).body as DecisionBody;
    expect(body.recommendation).toEqual(pending.recommendation);
    expect(body.recommendation).toMatchObject({ outcome: 'correct', rule: 'R4-correct', policy: { id: 'default', version: 1 } });
    expect(body.final).toBeNull();
    expect(body.overridden).toBe(false);
    expect(body.factors.map((f) => [f.name, f.value])).toEqual([
      ['intent', 'negligent'],
      ['motive', 'public'],
      ['nature', 'trial-and-error'],
      ['severity', 'minor'],
      ['exclusions', []],
      ['conditions.policyCompliant', true],
      ['conditions.procedureFollowed', true],
      ['conditions.diligent', true],
      ['conditions.remedied', false],
      ['repeatError', false],
    ]);
    // No evidence can be cited through this branch's assessment body yet: every list is empty, never missing.
    expect(body.factors.every((f) => Array.isArray(f.evidenceIds) && f.evidenceIds.length === 0)).toBe(true);
    const outcomeIf = (change: Record<string, unknown>) =>
      body.counterfactuals.find((cf) => JSON.stringify(cf.change) === JSON.stringify(change))?.outcome;
    expect(outcomeIf({ 'conditions.remedied': true })).toBe('tolerate');
    expect(outcomeIf({ intent: 'intentional' })).toBe('hold-accountable');
    expect(outcomeIf({ severity: 'major' })).toBe('correct');
    expect(outcomeIf({ exclusions: ['dereliction'] })).toBe('hold-accountable');
    expect(outcomeIf({ repeatError: true })).toBe('correct');
    expect(body.counterfactuals).toHaveLength(13);
  });

  it('after an approval: the final decision is the recommendation, by the reviewing leader', async () => {
    const cast = await freshCast();
    const decided = await decidedCase(t, cast, 'tolerate');
    const body = (await decision(decided.id, cast.cadre).expect(200)).body as DecisionBody;
    expect(body).toMatchObject({
      recommendation: { outcome: 'tolerate', rule: 'R3-tolerate' },
      final: { outcome: 'tolerate', by: cast.leader.id, reason: null, source: 'review', at: START.toISOString() },
      overridden: false,
    });
  });

  it('after an override: the final decision differs from the recommendation, with the leader’s reason', async () => {
    const cast = await freshCast();
    const pending = await caseAwaitingReview(t, cast, CORRECT_ASSESSMENT);
    await review(pending.id, { decision: 'override', outcome: 'tolerate', reason: 'The loss was recovered after the assessment.' });
    const body = (await decision(pending.id, cast.officer).expect(200)).body as DecisionBody;
    expect(body).toMatchObject({
      recommendation: { outcome: 'correct' },
      final: { outcome: 'tolerate', by: base.leader.id, reason: 'The loss was recovered after the assessment.', source: 'review' },
      overridden: true,
    });
  });

  it('after a return for more work there is still no final decision', async () => {
    const cast = await freshCast();
    const pending = await caseAwaitingReview(t, cast, TOLERABLE_ASSESSMENT);
    await review(pending.id, { decision: 'return', reason: 'Check the procedure again.' });
    const body = (await decision(pending.id, cast.officer).expect(200)).body as DecisionBody;
    expect(body).toMatchObject({ recommendation: { outcome: 'tolerate' }, final: null });
  });

  it('after an appeal revision: the final decision is the appeal ruling, by the leader who ruled', async () => {
    const cast = await freshCast();
    const decided = await decidedCase(t, cast, 'hold-accountable');
    t.clock.set(new Date('2026-01-07T09:00:00.000Z'));
    await t.http.post(`/cases/${decided.id}/appeal`).set(auth(cast.cadre)).send({ reason: 'I did not know of the ban.' }).expect(200);
    await t.http
      .post(`/cases/${decided.id}/appeal-review`)
      .set(auth(uninvolved))
      .send({ decision: 'revise', outcome: 'correct', reason: 'The ban was not published to the township.' })
      .expect(200);
    const body = (await decision(decided.id, cast.cadre).expect(200)).body as DecisionBody;
    expect(body).toMatchObject({
      recommendation: { outcome: 'hold-accountable', rule: 'R1-not-tolerable-side' },
      final: {
        outcome: 'correct',
        by: uninvolved.id,
        reason: 'The ban was not published to the township.',
        source: 'appeal',
        at: '2026-01-07T09:00:00.000Z',
      },
      overridden: false,
      revisedOnAppeal: true,
    });
    // Held accountable only for intent: negligence alone would have been tolerated.
    expect(body.counterfactuals.filter((cf) => cf.changesOutcome).map((cf) => cf.change)).toEqual([{ intent: 'negligent' }]);
  });

  it('is scoped exactly as the case: another cadre gets 404, the subject, officers and admins see it', async () => {
    const cast = await freshCast();
    const pending = await caseAwaitingReview(t, cast);
    const stranger = await t.user(['cadre']);
    const elsewhere = await t.createUnit('Another county');
    const farOfficer = await t.user(['officer'], elsewhere);
    for (const outsider of [stranger, farOfficer]) {
      expectRefusal(await decision(pending.id, outsider), 404, `case ${pending.id} not found`);
      await t.http.get(`/cases/${pending.id}`).set(auth(outsider)).expect(404);
    }
    await decision(pending.id, cast.cadre).expect(200);
    await decision(pending.id, cast.leader).expect(200);
    await decision(pending.id, await t.adminToken()).expect(200);
    expectRefusal(await decision('7d3c6a1e-4f7b-4b8e-9c3e-2d1f0a9b8c7d', cast.officer), 404);
    expectRefusal(await decision('not-a-uuid', cast.officer), 400, 'id');
    await t.http.get(`/cases/${pending.id}/decision`).expect(401);
  });
});
