import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, NEW_CASE, TestApp, TOLERABLE_ASSESSMENT } from './support/test-app.js';

/** Every refusal in the contract; each one on an existing case must leave it exactly as it was. */
describe('refusals', () => {
  let t: TestApp;
  let cast: Cast;
  let awaiting: string; // a case awaiting the explanation
  let assessing: string; // a case under assessment
  let pending: string; // a case pending review

  beforeAll(async () => {
    t = await TestApp.start();
    cast = await createCast(t);
    awaiting = (await openCase(t, cast)).id;
    assessing = (await openCase(t, cast)).id;
    await t.http.post(`/cases/${assessing}/explanation`).set(auth(cast.cadre)).send({ statement: 'x' }).expect(200);
    pending = (await caseAwaitingReview(t, cast)).id;
  });
  afterAll(() => t.stop());

  const explain = (id: string, body: unknown) =>
    t.http
      .post(`/cases/${id}/explanation`)
      .set(auth(cast.cadre))
      .send(body as object);
  const assess = (id: string, body: object) => t.http.post(`/cases/${id}/assessment`).set(auth(cast.assessor)).send(body);
  const review = (id: string, body: object) => t.http.post(`/cases/${id}/review`).set(auth(cast.leader)).send(body);

  describe('400 bad request', () => {
    it('malformed JSON', async () => {
      const response = await withoutWriting(t, cast.officer, awaiting, () =>
        t.http
          .post(`/cases/${awaiting}/explanation`)
          .set(auth(cast.cadre))
          .set('Content-Type', 'application/json')
          .send('{"statement": "x"'),
      );
      expectRefusal(response, 400, 'malformed JSON');
    });

    it('an unknown field', async () => {
      const response = await withoutWriting(t, cast.officer, awaiting, () => explain(awaiting, { statement: 'x', mood: 'sorry' }));
      expectRefusal(response, 400, 'mood');
      expect(response.body).not.toHaveProperty('refusal');
    });

    it('a value outside an enum', async () => {
      const response = await withoutWriting(t, cast.officer, assessing, () =>
        assess(assessing, { ...TOLERABLE_ASSESSMENT, intent: 'careless' }),
      );
      expectRefusal(response, 400, 'intent');
      expect(response.body).not.toHaveProperty('refusal');
    });

    it('a value of the wrong type', async () => {
      const response = await withoutWriting(t, cast.officer, awaiting, () => explain(awaiting, { statement: 42 }));
      expectRefusal(response, 400, 'statement');
    });

    it('a nested field, named by its path', async () => {
      const conditions = { ...TOLERABLE_ASSESSMENT.conditions, diligent: 'yes' };
      const response = await withoutWriting(t, cast.officer, assessing, () => assess(assessing, { ...TOLERABLE_ASSESSMENT, conditions }));
      expectRefusal(response, 400, 'conditions.diligent');
    });

    it('a missing nested object', async () => {
      const response = await withoutWriting(t, cast.officer, assessing, () =>
        assess(assessing, { ...TOLERABLE_ASSESSMENT, conditions: undefined }),
      );
      expectRefusal(response, 400, 'conditions');
    });

    it('a case id that is not a UUID', async () => {
      expectRefusal(await t.http.get('/cases/not-a-uuid').set(auth(cast.officer)), 400, 'id');
      expectRefusal(await explain('12345', { statement: 'x' }), 400, 'id');
    });

    it('an If-Match that is not a version', async () => {
      const response = await withoutWriting(t, cast.officer, awaiting, () =>
        explain(awaiting, { statement: 'x' }).set('If-Match', 'yesterday'),
      );
      expectRefusal(response, 400, 'if-match');
      expect(response.body).not.toHaveProperty('refusal');
    });
  });

  describe('401 unauthenticated', () => {
    it('no token', async () => {
      expectRefusal(await t.http.get('/cases'), 401, 'authorization');
      const response = await withoutWriting(t, cast.officer, awaiting, () =>
        t.http.post(`/cases/${awaiting}/explanation`).send({ statement: 'x' }),
      );
      expectRefusal(response, 401);
      expect(response.body).not.toHaveProperty('refusal');
    });

    it('a garbage or tampered token', async () => {
      expectRefusal(await t.http.get('/cases').set(auth('not.a.jwt')), 401);
      const [header, , signature] = cast.cadre.token.split('.');
      const forgedClaims = Buffer.from(
        JSON.stringify({ sub: cast.cadre.id, username: 'x', roles: ['admin'], unitId: cast.cadre.unitId }),
      ).toString('base64url');
      expectRefusal(await t.http.get('/users').set(auth(`${header}.${forgedClaims}.${signature}`)), 401);
    });
  });

  describe('403 forbidden', () => {
    it('a cadre cannot open a case', async () => {
      const response = await t.http
        .post('/cases')
        .set(auth(cast.cadre))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id });
      expectRefusal(response, 403, 'officer');
      expect(response.body.refusal).toBe('ROLE');
    });

    it('nobody opens a case about themselves', async () => {
      const officerCadre = await t.user(['officer', 'cadre']);
      const response = await t.http
        .post('/cases')
        .set(auth(officerCadre))
        .send({ ...NEW_CASE, subjectId: officerCadre.id });
      expectRefusal(response, 403, 'yourself');
      expect(response.body.refusal).toBe('SUBJECT');
    });

    it('an officer cannot review', async () => {
      const response = await withoutWriting(t, cast.officer, pending, () =>
        t.http.post(`/cases/${pending}/review`).set(auth(cast.officer)).send({ decision: 'approve' }),
      );
      expectRefusal(response, 403, 'leader');
      expect(response.body.refusal).toBe('ROLE');
    });

    it('a leader who opened the case cannot review it', async () => {
      const officerLeader = await t.user(['officer', 'leader']);
      const opened = await t.http
        .post('/cases')
        .set(auth(officerLeader))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id })
        .expect(201);
      const id = opened.body.id as string;
      await explain(id, { statement: 'x' }).expect(200);
      await assess(id, TOLERABLE_ASSESSMENT).expect(200);
      const response = await withoutWriting(t, cast.officer, id, () =>
        t.http.post(`/cases/${id}/review`).set(auth(officerLeader)).send({ decision: 'approve' }),
      );
      expectRefusal(response, 403, 'you opened this case');
      expect(response.body.refusal).toBe('SEPARATION_OF_DUTIES');
      expect((await t.http.get(`/cases/${id}`).set(auth(officerLeader))).body.allowedActions).not.toContain('review');
    });

    it('a leader who assessed the case cannot review it', async () => {
      const officerLeader = await t.user(['officer', 'leader']);
      const id = (await openCase(t, cast)).id;
      await explain(id, { statement: 'x' }).expect(200);
      await t.http.post(`/cases/${id}/assessment`).set(auth(officerLeader)).send(TOLERABLE_ASSESSMENT).expect(200);
      const response = await withoutWriting(t, cast.officer, id, () =>
        t.http.post(`/cases/${id}/review`).set(auth(officerLeader)).send({ decision: 'approve' }),
      );
      expectRefusal(response, 403, 'you assessed this case');
      expect(response.body.refusal).toBe('SEPARATION_OF_DUTIES');
    });
  });

  describe('404 not found', () => {
    it('an unknown case id, for reads and commands alike', async () => {
      const id = randomUUID();
      expectRefusal(await t.http.get(`/cases/${id}`).set(auth(cast.officer)), 404);
      expectRefusal(await t.http.get(`/cases/${id}/audit`).set(auth(cast.officer)), 404);
      expectRefusal(await explain(id, { statement: 'x' }), 404);
      expectRefusal(await review(id, { decision: 'approve' }), 404);
      // A 404 says nothing of why: out of scope and missing look alike.
      expect((await explain(id, { statement: 'x' })).body).not.toHaveProperty('refusal');
    });
  });

  describe('409 conflict', () => {
    it('a review before the assessment', async () => {
      const response = await withoutWriting(t, cast.officer, awaiting, () => review(awaiting, { decision: 'approve' }));
      expectRefusal(response, 409, 'awaitingExplanation');
      expect(response.body.refusal).toBe('STATE');
    });

    it('an explanation given twice', async () => {
      const response = await withoutWriting(t, cast.officer, assessing, () => explain(assessing, { statement: 'again' }));
      expectRefusal(response, 409, 'explanation');
      expect(response.body.refusal).toBe('STATE');
    });
  });

  describe('412 precondition failed, and ETag', () => {
    it('refuses a stale If-Match and accepts the ETag it was given', async () => {
      const id = (await caseAwaitingReview(t, cast)).id;
      const current = await t.http.get(`/cases/${id}`).set(auth(cast.leader)).expect(200);
      expect(current.headers.etag).toBe('"3"');
      const stale = await withoutWriting(t, cast.officer, id, () => review(id, { decision: 'approve' }).set('If-Match', '"2"'));
      expectRefusal(stale, 412, 'version 3');
      expect(stale.body.refusal).toBe('STALE_VERSION');
      const decided = await review(id, { decision: 'approve' }).set('If-Match', current.headers.etag).expect(200);
      expect(decided.body).toMatchObject({ state: 'decided', version: 4 });
      expect(decided.headers.etag).toBe('"4"');
    });

    it('puts an ETag on the opening response', async () => {
      const response = await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id })
        .expect(201);
      expect(response.headers.etag).toBe('"1"');
    });
  });

  describe('413 payload too large', () => {
    it('a body over 1 MB', async () => {
      const response = await withoutWriting(t, cast.officer, awaiting, () => explain(awaiting, { statement: 'x'.repeat(1024 * 1024 + 1) }));
      expectRefusal(response, 413, '1 MB');
      expect(response.body).not.toHaveProperty('refusal');
    });
  });

  describe('422 business rules', () => {
    it.each([
      ['override without a reason', { decision: 'override', outcome: 'correct' }, 'reason'],
      ['override with a blank reason', { decision: 'override', outcome: 'correct', reason: '   ' }, 'reason'],
      ['return without a reason', { decision: 'return' }, 'reason'],
      ['override without an outcome', { decision: 'override', reason: 'needs rectification' }, 'outcome'],
    ])('%s', async (_name, body, field) => {
      const response = await withoutWriting(t, cast.officer, pending, () => review(pending, body));
      expectRefusal(response, 422, field);
      expect(response.body.refusal).toBe('RULE');
    });

    it('opening a case about someone who is not a cadre, or nobody', async () => {
      const before = (await t.http.get('/cases').set(auth(cast.officer)).expect(200)).body.total as number;
      for (const subjectId of [cast.leader.id, randomUUID()]) {
        const response = await t.http
          .post('/cases')
          .set(auth(cast.officer))
          .send({ ...NEW_CASE, subjectId });
        expectRefusal(response, 422, 'subjectId');
        expect(response.body.refusal).toBe('RULE');
      }
      expect((await t.http.get('/cases').set(auth(cast.officer)).expect(200)).body.total).toBe(before);
    });
  });
});
