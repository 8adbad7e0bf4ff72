import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { auth, TestApp, TOLERABLE_ASSESSMENT } from './support/test-app.js';

describe('a case from opening to decision', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
  });
  afterAll(() => t.stop());

  it('opens awaiting the cadre’s explanation, pinned to the default policy', async () => {
    const opened = await openCase(t, cast);
    expect(opened).toMatchObject({
      state: 'awaitingExplanation',
      outcome: null,
      recommendation: null,
      overridden: false,
      subjectId: cast.cadre.id,
      openedBy: cast.officer.id,
      policy: { id: 'default', version: 1 },
      version: 1,
      allowedActions: ['withdraw', 'evidence'],
    });
    const asCadre = await t.http.get(`/cases/${opened.id}`).set(auth(cast.cadre)).expect(200);
    expect(asCadre.body.allowedActions).toEqual(['explanation', 'evidence']);
    expect(asCadre.headers.etag).toBe('"1"');
  });

  it('reaches tolerate when the leader approves a tolerable assessment', async () => {
    const pending = await caseAwaitingReview(t, cast);
    expect(pending.state).toBe('pendingReview');
    expect(pending.recommendation).toMatchObject({ outcome: 'tolerate', rule: 'R3-tolerate', policy: { id: 'default', version: 1 } });
    const decided = await t.http.post(`/cases/${pending.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    expect(decided.body).toMatchObject({ state: 'decided', outcome: 'tolerate', overridden: false, version: 4 });

    const audit = await t.http.get(`/cases/${pending.id}/audit`).set(auth(cast.cadre)).expect(200);
    expect(audit.body.map((e: { type: string }) => e.type)).toEqual([
      'case.opened',
      'explanation.submitted',
      'assessment.recorded',
      'review.approved',
    ]);
    expect(audit.body[3]).toMatchObject({ seq: 4, actorId: cast.leader.id, actorRole: 'leader', prevHash: audit.body[2].hash });
    const verify = await t.http.get(`/cases/${pending.id}/audit/verify`).set(auth(cast.leader)).expect(200);
    expect(verify.body).toMatchObject({ valid: true, length: 4, firstInvalidSeq: null, replay: { matches: true } });
  });

  it('reaches correct when a tolerance condition fails', async () => {
    const pending = await caseAwaitingReview(t, cast, {
      ...TOLERABLE_ASSESSMENT,
      conditions: { ...TOLERABLE_ASSESSMENT.conditions, remedied: false },
    });
    expect(pending.recommendation).toMatchObject({ outcome: 'correct', rule: 'R4-correct' });
    const decided = await t.http.post(`/cases/${pending.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    expect(decided.body.outcome).toBe('correct');
  });

  it('reaches hold-accountable for an intentional violation', async () => {
    const pending = await caseAwaitingReview(t, cast, { ...TOLERABLE_ASSESSMENT, intent: 'intentional' });
    expect(pending.recommendation).toMatchObject({ outcome: 'hold-accountable', rule: 'R1-not-tolerable-side' });
    const decided = await t.http.post(`/cases/${pending.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    expect(decided.body.outcome).toBe('hold-accountable');
  });

  it('keeps the recommendation beside an override', async () => {
    // A fresh cadre: this cadre's earlier tolerated case would make this one a repeat error.
    const pending = await caseAwaitingReview(t, await createCast(t));
    const leader = await t.user(['leader']);
    const decided = await t.http
      .post(`/cases/${pending.id}/review`)
      .set(auth(leader))
      .send({ decision: 'override', outcome: 'correct', reason: 'The budget overrun needs a rectification plan.' })
      .expect(200);
    expect(decided.body).toMatchObject({ state: 'decided', outcome: 'correct', overridden: true, recommendation: { outcome: 'tolerate' } });
  });

  it('returns to assessment with a reason, and a reassessment goes back to review', async () => {
    const pending = await caseAwaitingReview(t, cast);
    const returned = await t.http
      .post(`/cases/${pending.id}/review`)
      .set(auth(cast.leader))
      .send({ decision: 'return', reason: 'Check whether the loss was fully recovered.' })
      .expect(200);
    expect(returned.body.state).toBe('underAssessment');
    const reassessed = await t.http
      .post(`/cases/${pending.id}/assessment`)
      .set(auth(cast.assessor))
      .send({ ...TOLERABLE_ASSESSMENT, conditions: { ...TOLERABLE_ASSESSMENT.conditions, remedied: false } })
      .expect(200);
    expect(reassessed.body).toMatchObject({ state: 'pendingReview', recommendation: { outcome: 'correct' } });
    const decided = await t.http.post(`/cases/${pending.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    expect(decided.body.outcome).toBe('correct');
  });

  it('withdraws a case before decision', async () => {
    const opened = await openCase(t, cast);
    const withdrawn = await t.http
      .post(`/cases/${opened.id}/withdraw`)
      .set(auth(cast.officer))
      .send({ reason: 'Report was unfounded.' })
      .expect(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', outcome: null, allowedActions: [] });
  });
});
