import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type CaseBody, type Cast, createCast, openCase } from './support/case-actors.js';
import { auditOf, CORRECT_ASSESSMENT } from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { auth, NEW_CASE, TestApp } from './support/test-app.js';

const DEFAULT_V1 = JSON.parse(readFileSync('config/policies/default-v1.json', 'utf8')) as Record<string, unknown>;
const PILOT_V1 = JSON.parse(readFileSync('config/policies/pilot-zone-v1.json', 'utf8')) as Record<string, unknown>;

/** Carries an opened case through the explanation to the assessment and returns the case view. */
async function assess(t: TestApp, cast: Cast, id: string, assessment: Record<string, unknown> = CORRECT_ASSESSMENT): Promise<CaseBody> {
  await t.http.post(`/cases/${id}/explanation`).set(auth(cast.cadre)).send({ statement: 'I acted for the pilot.' }).expect(200);
  return (await t.http.post(`/cases/${id}/assessment`).set(auth(cast.assessor)).send(assessment).expect(200)).body as CaseBody;
}

describe('policies (因地制宜): several jurisdictions and versions', () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
  });
  afterAll(() => t.stop());

  describe('GET /policies', () => {
    it('lists every loaded version, to any signed-in user (a cadre may read the rules that judged them)', async () => {
      const response = await t.http.get('/policies').set(auth(cast.cadre)).expect(200);
      expect(response.body).toEqual([
        {
          id: 'default',
          version: 1,
          title: DEFAULT_V1.title,
          effectiveFrom: '2026-01-01',
          description: DEFAULT_V1.description,
          current: true,
          default: true,
        },
        {
          id: 'pilot-zone',
          version: 1,
          title: PILOT_V1.title,
          effectiveFrom: '2026-01-01',
          description: PILOT_V1.description,
          current: true,
          default: false,
        },
      ]);
    });

    it('needs a token', async () => {
      await t.http.get('/policies').expect(401);
      await t.http.get('/policies/default/1').expect(401);
    });
  });

  describe('GET /policies/:id/:version', () => {
    it('returns the whole policy: rules, deadlines, conditions, negative list, repeat window', async () => {
      const response = await t.http.get('/policies/pilot-zone/1').set(auth(cast.cadre)).expect(200);
      expect(response.body).toEqual({ ...PILOT_V1, current: true, default: false });
      const byDefault = await t.http.get('/policies/default/1').set(auth(cast.officer)).expect(200);
      expect(byDefault.body).toMatchObject({
        rules: DEFAULT_V1.rules,
        deadlines: DEFAULT_V1.deadlines,
        repeatWindow: 'P3Y',
        default: true,
      });
    });

    it.each(['/policies/nowhere/1', '/policies/default/2'])('answers 404 for %s, which is not loaded', async (path) => {
      expectRefusal(await t.http.get(path).set(auth(cast.officer)), 404, 'not found');
    });

    it.each(['abc', '1.5', '0', '-1', '1e2'])('answers 400 naming version for version %s', async (version) => {
      const response = await t.http.get(`/policies/default/${version}`).set(auth(cast.officer));
      expectRefusal(response, 400, 'version: must be a positive integer');
      expect(response.body.fields).toEqual([{ field: 'version', message: 'must be a positive integer' }]);
    });
  });

  describe('POST /cases with policyId', () => {
    it('pins the highest version of the named jurisdiction, and its rules decide the recommendation', async () => {
      const opened = await openCase(t, cast, { policyId: 'pilot-zone' });
      expect(opened.policy).toEqual({ id: 'pilot-zone', version: 1 });
      expect((await auditOf(t, cast.officer, opened.id))[0].data.policy).toEqual({
        id: 'pilot-zone',
        version: 1,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      // Minor harm not yet recovered: the default table corrects it, the pilot zone tolerates it.
      const assessed = await assess(t, cast, opened.id);
      expect(assessed.recommendation).toMatchObject({
        outcome: 'tolerate',
        rule: 'R3-pilot-exploration',
        policy: { id: 'pilot-zone', version: 1 },
      });
    });

    it('without policyId pins DEFAULT_POLICY', async () => {
      const other = { ...cast, cadre: await t.user(['cadre']) };
      const opened = await openCase(t, other);
      expect(opened.policy).toEqual({ id: 'default', version: 1 });
      expect((await assess(t, other, opened.id)).recommendation).toMatchObject({
        outcome: 'correct',
        policy: { id: 'default', version: 1 },
      });
    });

    it('refuses an unknown policy id with 422 naming policyId, opening nothing', async () => {
      const before = (await t.http.get('/cases').set(auth(cast.officer)).expect(200)).body.total as number;
      const response = await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id, policyId: 'atlantis' });
      expectRefusal(response, 422, 'policyId: no policy with id "atlantis" is loaded');
      expect(response.body.fields).toEqual([expect.objectContaining({ field: 'policyId' })]);
      expect((await t.http.get('/cases').set(auth(cast.officer)).expect(200)).body.total).toBe(before);
    });

    it.each([42, '', ['pilot-zone']])('refuses a malformed policyId (%j) with 400', async (policyId) => {
      const response = await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id, policyId });
      expectRefusal(response, 400, 'policyId');
    });
  });
});

describe('pinning: a new policy version never changes an open case', () => {
  const JWT_SECRET = 'a-test-secret-shared-across-the-restart-0123456789';
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('a case opened under v1 is still assessed with v1 after v2 is added and the service restarted; a new case pins v2', async () => {
    const policyDir = mkdtempSync(join(tmpdir(), 'case-review-policies-'));
    dirs.push(policyDir);
    writeFileSync(join(policyDir, 'default-v1.json'), JSON.stringify(DEFAULT_V1));

    const first = await TestApp.start({ POLICY_DIR: policyDir, JWT_SECRET });
    dirs.push(first.dataDir);
    const cast = await createCast(first);
    const old = await openCase(first, cast);
    expect(old.policy).toEqual({ id: 'default', version: 1 });
    await first.app.close();

    // v2 of the same id: minor harm no longer needs the loss recovered (as the pilot zone rules), so the
    // assessment below is tolerated under v2 and corrected under v1.
    writeFileSync(
      join(policyDir, 'default-v2.json'),
      JSON.stringify({ ...PILOT_V1, id: 'default', version: 2, effectiveFrom: '2026-06-01' }),
    );
    const second = await TestApp.start({ POLICY_DIR: policyDir, JWT_SECRET, ...first.database.env });
    try {
      const listed = (await second.http.get('/policies').set(auth(cast.cadre)).expect(200)).body as Array<Record<string, unknown>>;
      expect(listed.map(({ id, version, current }) => ({ id, version, current }))).toEqual([
        { id: 'default', version: 1, current: false },
        { id: 'default', version: 2, current: true },
      ]);

      const oldAssessed = await assess(second, cast, old.id);
      expect(oldAssessed.policy).toEqual({ id: 'default', version: 1 });
      expect(oldAssessed.recommendation).toMatchObject({ outcome: 'correct', rule: 'R4-correct', policy: { id: 'default', version: 1 } });
      const oldDecision = await second.http.get(`/cases/${old.id}/decision`).set(auth(cast.cadre)).expect(200);
      // The counterfactuals are those of v1 too: under v1, recovering the loss is what the case turns on.
      expect(oldDecision.body.counterfactuals).toContainEqual(
        expect.objectContaining({ change: { 'conditions.remedied': true }, outcome: 'tolerate', changesOutcome: true }),
      );

      const other = { ...cast, cadre: await second.user(['cadre'], cast.cadre.unitId) };
      const fresh = await openCase(second, other);
      expect(fresh.policy).toEqual({ id: 'default', version: 2 });
      const freshAssessed = await assess(second, other, fresh.id);
      expect(freshAssessed.recommendation).toMatchObject({
        outcome: 'tolerate',
        rule: 'R3-pilot-exploration',
        policy: { id: 'default', version: 2 },
      });
    } finally {
      await second.stop();
      await first.database.drop();
    }
  });
});
