import type { TestApp, TestUser } from './test-app.js';
import { auth, NEW_CASE, TOLERABLE_ASSESSMENT } from './test-app.js';

/** The cast of one case: an opening officer, the subject cadre, a second officer and two leaders. */
export interface Cast {
  officer: TestUser;
  assessor: TestUser;
  cadre: TestUser;
  leader: TestUser;
  otherLeader: TestUser;
}

export async function createCast(t: TestApp, unitId?: string): Promise<Cast> {
  return {
    officer: await t.user(['officer'], unitId),
    assessor: await t.user(['officer'], unitId),
    cadre: await t.user(['cadre'], unitId),
    leader: await t.user(['leader'], unitId),
    otherLeader: await t.user(['leader'], unitId),
  };
}

export interface CaseBody {
  id: string;
  state: string;
  version: number;
  outcome: string | null;
  allowedActions: string[];
  [key: string]: unknown;
}

export async function openCase(t: TestApp, cast: Cast, extra: Record<string, unknown> = {}): Promise<CaseBody> {
  const response = await t.http
    .post('/cases')
    .set(auth(cast.officer))
    .send({ ...NEW_CASE, subjectId: cast.cadre.id, ...extra })
    .expect(201);
  return response.body as CaseBody;
}

/** Opens a case and carries it to pendingReview with the given assessment. */
export async function caseAwaitingReview(
  t: TestApp,
  cast: Cast,
  assessment: Record<string, unknown> = TOLERABLE_ASSESSMENT,
): Promise<CaseBody> {
  const opened = await openCase(t, cast);
  await t.http
    .post(`/cases/${opened.id}/explanation`)
    .set(auth(cast.cadre))
    .send({ statement: 'I acted under the pilot mandate.' })
    .expect(200);
  const assessed = await t.http.post(`/cases/${opened.id}/assessment`).set(auth(cast.assessor)).send(assessment).expect(200);
  return assessed.body as CaseBody;
}
