import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type CaseBody, type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal } from './support/expectations.js';
import { auth, NEW_CASE, TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './support/test-app.js';

interface RecordEntry {
  caseId: string;
  category: string;
  outcome: string;
  decidedAt: string;
  negativeEvaluation: boolean;
  note: string;
  [key: string]: unknown;
}

interface CadreRecord {
  cadreId: string;
  cases: RecordEntry[];
  clearings: Array<{ caseId: string; category: string; clearedAt: string; note: string }>;
}

interface CheckTrace {
  fact: string;
  op: string;
  expected: unknown;
  actual: unknown;
  result: boolean;
  note?: string;
}

interface RuleTrace {
  rule: string;
  matched: boolean;
  checks: CheckTrace[];
}

const YEAR = 365 * 24 * 60 * 60 * 1000;
const DAY = 24 * 60 * 60 * 1000;

/** Carries a case to a decision by approving the recommendation for the given assessment. */
async function decidedCase(
  t: TestApp,
  cast: Cast,
  assessment: Record<string, unknown> = TOLERABLE_ASSESSMENT,
  extra: Record<string, unknown> = {},
) {
  const opened = await openCase(t, cast, extra);
  await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
  await t.http.post(`/cases/${opened.id}/assessment`).set(auth(cast.assessor)).send(assessment).expect(200);
  const decided = await t.http.post(`/cases/${opened.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
  return decided.body as CaseBody & { decidedAt: string; outcome: string };
}

describe('GET /cadres/:id/record: results use (结果运用)', () => {
  let t: TestApp;
  let cast: Cast; // in unit A
  let tolerated: CaseBody & { decidedAt: string };
  let accountable: CaseBody & { decidedAt: string };
  let adminToken: string;

  const record = async (viewer: TestUser | string, cadreId = cast.cadre.id): Promise<CadreRecord> =>
    (await t.http.get(`/cadres/${cadreId}/record`).set(auth(viewer)).expect(200)).body as CadreRecord;

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: '3600000' });
    adminToken = await t.adminToken();
    const unitA = await t.createUnit('A');
    cast = await createCast(t, unitA);
    tolerated = await decidedCase(t, cast);
    t.clock.advance(DAY);
    accountable = await decidedCase(t, cast, { ...TOLERABLE_ASSESSMENT, motive: 'private' }, { category: 'procurement' });
  });
  afterAll(() => t.stop());

  it('a tolerated case carries no negative evaluation, and says it does not count against appraisal, promotion or awards', async () => {
    const { cadreId, cases } = await record(cast.cadre);
    expect(cadreId).toBe(cast.cadre.id);
    const entry = cases.find((c) => c.caseId === tolerated.id);
    expect(entry).toMatchObject({
      caseId: tolerated.id,
      category: NEW_CASE.category,
      outcome: 'tolerate',
      decidedAt: tolerated.decidedAt,
      negativeEvaluation: false,
    });
    expect(entry!.note).toMatch(/does not count against appraisal, promotion or awards/);
  });

  it('a held-accountable case enters the record with a negative evaluation', async () => {
    const { cases } = await record(cast.officer);
    const entry = cases.find((c) => c.caseId === accountable.id);
    expect(entry).toMatchObject({
      category: 'procurement',
      outcome: 'hold-accountable',
      decidedAt: accountable.decidedAt,
      negativeEvaluation: true,
    });
    expect(entry!.note).not.toMatch(/does not count/);
  });

  it('lists decided cases only, oldest decision first; an open case is not in the record', async () => {
    const open = await caseAwaitingReview(t, cast);
    const { cases } = await record(cast.cadre);
    expect(cases.map((c) => c.caseId)).toEqual([tolerated.id, accountable.id]);
    expect(cases.map((c) => c.caseId)).not.toContain(open.id);
  });

  describe('who may read it', () => {
    it('the cadre themself, officers and leaders of the unit or a unit above, and admins', async () => {
      const expected = await record(cast.cadre);
      expect(expected.cases).toHaveLength(2);
      const leaderAbove = await t.user(['leader']); // root unit, above A
      const officerAbove = await t.user(['officer']);
      for (const viewer of [cast.officer, cast.leader, leaderAbove, officerAbove, adminToken]) {
        expect(await record(viewer)).toEqual(expected);
      }
    });

    it('another cadre, even of the same unit: 404', async () => {
      const otherCadre = await t.user(['cadre'], cast.cadre.unitId);
      expectRefusal(await t.http.get(`/cadres/${cast.cadre.id}/record`).set(auth(otherCadre)), 404);
    });

    it('an officer or leader of a sibling unit, or of a unit below: 404', async () => {
      const unitB = await t.createUnit('B');
      const unitA1 = await t.createUnit('A1', cast.cadre.unitId);
      for (const viewer of [
        await t.user(['officer'], unitB),
        await t.user(['leader'], unitB),
        await t.user(['officer', 'leader'], unitA1),
      ]) {
        expectRefusal(await t.http.get(`/cadres/${cast.cadre.id}/record`).set(auth(viewer)), 404);
      }
    });

    it('an unknown id, or the id of someone who is not a cadre: 404; a malformed id: 400', async () => {
      expectRefusal(await t.http.get(`/cadres/${randomUUID()}/record`).set(auth(adminToken)), 404);
      expectRefusal(await t.http.get(`/cadres/${cast.officer.id}/record`).set(auth(adminToken)), 404);
      expectRefusal(await t.http.get('/cadres/nobody/record').set(auth(adminToken)), 400, 'id');
    });
  });

  describe('withdrawal and name clearing (澄清正名)', () => {
    it('withdrawing with clearName:true records a clearing; the withdrawn case is not a decided case', async () => {
      const opened = await openCase(t, cast, { title: 'Anonymous report about the land pilot' });
      t.clock.advance(DAY);
      const withdrawn = await t.http
        .post(`/cases/${opened.id}/withdraw`)
        .set(auth(cast.officer))
        .send({ reason: 'The report was unfounded.', clearName: true })
        .expect(200);
      expect(withdrawn.body).toMatchObject({ state: 'withdrawn', nameCleared: true });
      const { cases, clearings } = await record(cast.leader);
      expect(clearings).toContainEqual(
        expect.objectContaining({ caseId: opened.id, category: NEW_CASE.category, clearedAt: t.clock.now().toISOString() }),
      );
      expect(cases.map((c) => c.caseId)).not.toContain(opened.id);
      const notifications = await t.http.get('/me/notifications').set(auth(cast.cadre)).expect(200);
      expect(notifications.body.items).toContainEqual(
        expect.objectContaining({ caseId: opened.id, kind: 'case.withdrawn', message: expect.stringContaining('澄清正名') }),
      );
    });

    it('withdrawing without clearName records no clearing', async () => {
      const opened = await openCase(t, cast);
      await t.http.post(`/cases/${opened.id}/withdraw`).set(auth(cast.officer)).send({ reason: 'Merged into another case.' }).expect(200);
      const other = await openCase(t, cast);
      await t.http.post(`/cases/${other.id}/withdraw`).set(auth(cast.officer)).send({ reason: 'Duplicate.', clearName: false }).expect(200);
      const { clearings } = await record(cast.cadre);
      expect(clearings.map((c) => c.caseId)).not.toContain(opened.id);
      expect(clearings.map((c) => c.caseId)).not.toContain(other.id);
    });

    it('clearName must be a boolean (400), and the case is not withdrawn', async () => {
      const opened = await openCase(t, cast);
      expectRefusal(
        await t.http.post(`/cases/${opened.id}/withdraw`).set(auth(cast.officer)).send({ reason: 'x', clearName: 'yes' }),
        400,
        'clearName',
      );
      const view = await t.http.get(`/cases/${opened.id}`).set(auth(cast.officer)).expect(200);
      expect(view.body).toMatchObject({ state: 'awaitingExplanation', nameCleared: false });
    });
  });
});

describe('repeat errors: a second tolerable error of the same category within the repeat window (P3Y)', () => {
  let t: TestApp;
  let cast: Cast;
  let first: CaseBody & { decidedAt: string; outcome: string };

  const r3 = (trace: RuleTrace[]) => trace.find((rule) => rule.rule === 'R3-tolerate')!;
  const repeatCheck = (trace: RuleTrace[]) => r3(trace).checks.find((check) => check.fact === 'repeatError')!;

  beforeAll(async () => {
    t = await TestApp.start({ SWEEP_INTERVAL_MS: '3600000' });
    cast = await createCast(t);
    first = await decidedCase(t, cast);
    expect(first.outcome).toBe('tolerate');
  });
  afterAll(() => t.stop());

  it('within the window: tolerance is unavailable, the recommendation is `correct` and names the earlier case', async () => {
    t.clock.advance(30 * DAY);
    const second = await caseAwaitingReview(t, cast);
    const recommendation = second.recommendation as {
      outcome: string;
      rule: string;
      trace: RuleTrace[];
      repeatOf: { caseId: string; decidedAt: string };
    };
    expect(recommendation).toMatchObject({
      outcome: 'correct',
      rule: 'R4-correct',
      repeatOf: { caseId: first.id, decidedAt: first.decidedAt },
    });
    expect(recommendation.trace.map((rule) => [rule.rule, rule.matched])).toEqual([
      ['R1-not-tolerable-side', false],
      ['R2-negative-list', false],
      ['R3-tolerate', false],
      ['R4-correct', true],
    ]);
    // Every other tolerance condition held: the repeat alone blocked tolerance, and the trace says because of which case.
    expect(
      r3(recommendation.trace)
        .checks.filter((check) => !check.result)
        .map((check) => check.fact),
    ).toEqual(['repeatError']);
    expect(repeatCheck(recommendation.trace)).toMatchObject({
      actual: true,
      expected: false,
      result: false,
      note: expect.stringContaining(first.id),
    });
  });

  it('the case view and the audit trail keep the same recommendation with its repeatOf', async () => {
    const second = await caseAwaitingReview(t, cast);
    const view = await t.http.get(`/cases/${second.id}`).set(auth(cast.leader)).expect(200);
    expect(view.body.recommendation.repeatOf).toEqual({ caseId: first.id, decidedAt: first.decidedAt });
    const audit = await t.http.get(`/cases/${second.id}/audit`).set(auth(cast.leader)).expect(200);
    const assessed = audit.body.find((event: { type: string }) => event.type === 'assessment.recorded');
    expect(assessed.data.recommendation).toMatchObject({ outcome: 'correct', repeatOf: { caseId: first.id } });
  });

  it('a different category is not a repeat: tolerate, with no repeatOf', async () => {
    const other = await caseAwaitingReview(t, cast, TOLERABLE_ASSESSMENT);
    expect(other.recommendation).toMatchObject({ outcome: 'correct' }); // same category: still a repeat
    const opened = await openCase(t, cast, { category: 'emergency-response' });
    await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
    const assessed = await t.http.post(`/cases/${opened.id}/assessment`).set(auth(cast.assessor)).send(TOLERABLE_ASSESSMENT).expect(200);
    expect(assessed.body.recommendation).toMatchObject({ outcome: 'tolerate', rule: 'R3-tolerate', repeatOf: null });
    const check = repeatCheck(assessed.body.recommendation.trace as RuleTrace[]);
    expect(check).toMatchObject({ actual: false, result: true });
    expect(check.note).toBeUndefined();
  });

  it('another cadre’s tolerated case of the same category does not count', async () => {
    const colleague = await createCast(t);
    const pending = await caseAwaitingReview(t, colleague);
    expect(pending.recommendation).toMatchObject({ outcome: 'tolerate', repeatOf: null });
  });

  it('a case of the same category that was corrected, not tolerated, does not make a repeat', async () => {
    const cadre = await createCast(t);
    const corrected = await decidedCase(t, cadre, {
      ...TOLERABLE_ASSESSMENT,
      conditions: { ...TOLERABLE_ASSESSMENT.conditions, diligent: false },
    });
    expect(corrected.outcome).toBe('correct');
    const next = await caseAwaitingReview(t, cadre);
    expect(next.recommendation).toMatchObject({ outcome: 'tolerate', repeatOf: null });
  });

  it('a day before the window ends it is still a repeat; once the clock is more than 3 years past the first decision, it is not', async () => {
    const decidedAt = new Date(first.decidedAt).getTime();
    t.clock.set(new Date(decidedAt + 3 * YEAR - DAY));
    const inside = await caseAwaitingReview(t, cast);
    expect(inside.recommendation).toMatchObject({ outcome: 'correct', repeatOf: { caseId: first.id } });

    t.clock.set(new Date(decidedAt + 3 * YEAR + 2 * DAY));
    const outside = await caseAwaitingReview(t, cast);
    expect(outside.recommendation).toMatchObject({ outcome: 'tolerate', rule: 'R3-tolerate', repeatOf: null });
    expect(repeatCheck((outside.recommendation as { trace: RuleTrace[] }).trace)).toMatchObject({ actual: false, result: true });

    // The old tolerated case is still in the record, still without a negative evaluation.
    const { cases } = (await t.http.get(`/cadres/${cast.cadre.id}/record`).set(auth(cast.officer)).expect(200)).body as CadreRecord;
    expect(cases.find((c) => c.caseId === first.id)).toMatchObject({ outcome: 'tolerate', negativeEvaluation: false });
  });
});
