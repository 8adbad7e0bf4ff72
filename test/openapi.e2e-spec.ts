import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Cast, createCast } from './support/case-actors.js';
import { CORRECT_ASSESSMENT } from './support/case-life.js';
import { OpenApiConformance } from './support/openapi-conformance.js';
import { SAMPLES } from './support/sample-files.js';
import { ADMIN_PASSWORD, auth, NEW_CASE, TestApp, TOLERABLE_ASSESSMENT } from './support/test-app.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  summary?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
  parameters?: Array<{ in: string; name: string }>;
}

const ROOT = resolve(import.meta.dirname, '..');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const PUBLIC_OPERATIONS = ['getHealth', 'getReadiness', 'login'];

function operationsOf(document: Json): Array<[string, Operation]> {
  return Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method): [string, Operation] => [`${method.toUpperCase()} ${path}`, item[method]]),
  );
}

describe('the OpenAPI description (/docs-json)', () => {
  let t: TestApp;
  let document: Json;

  beforeAll(async () => {
    t = await TestApp.start();
    document = (await t.http.get('/docs-json').expect(200)).body as Json;
  });
  afterAll(() => t.stop());

  it('gives every operation a unique readable operationId and a summary', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(40);
    const missing = operations.filter(([, op]) => !op.operationId || !/^[a-z][A-Za-z]+$/.test(op.operationId) || !op.summary);
    expect(missing.map(([route]) => route)).toEqual([]);
    const ids = operations.map(([, op]) => op.operationId);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    // The ids clients are generated with: renaming a handler must not change them.
    expect(ids).toEqual(
      expect.arrayContaining([
        'openCase',
        'getCase',
        'listCases',
        'submitExplanation',
        'recordAssessment',
        'reviewCase',
        'getDecision',
        'verifyAuditTrail',
        'login',
      ]),
    );
  });

  it('declares a 2xx schema, the ErrorBody errors and the security of every operation', () => {
    const problems: string[] = [];
    for (const [route, op] of operationsOf(document)) {
      const success = Object.entries(op.responses).filter(([status]) => status.startsWith('2'));
      if (success.length === 0) {
        problems.push(`${route}: no 2xx`);
      }
      for (const [status, response] of success) {
        if (status !== '204' && !Object.values(response.content ?? {}).some((media) => media.schema)) {
          problems.push(`${route} ${status}: no schema`);
        }
      }
      const errors = Object.entries(op.responses).filter(([status]) => /^[45]/.test(status));
      for (const [status, response] of errors) {
        if (response.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBody') {
          problems.push(`${route} ${status}: not the ErrorBody schema`);
        }
      }
      const isPublic = PUBLIC_OPERATIONS.includes(op.operationId ?? '');
      if (isPublic ? JSON.stringify(op.security) !== '[]' : JSON.stringify(op.security) !== '[{"bearer":[]}]') {
        problems.push(`${route}: security ${JSON.stringify(op.security)}`);
      }
      if (!isPublic && !op.responses['401']) {
        problems.push(`${route}: no 401`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents If-Match exactly on the commands that honour it', () => {
    const withIfMatch = operationsOf(document)
      .filter(([, op]) => op.parameters?.some((p) => p.in === 'header' && p.name === 'If-Match'))
      .map(([, op]) => op.operationId)
      .sort();
    expect(withIfMatch).toEqual(
      [
        'addCorrectiveAction',
        'appealDecision',
        'decideAppeal',
        'recordAssessment',
        'reportCorrectiveAction',
        'reviewCase',
        'submitExplanation',
        'uploadEvidence',
        'verifyCorrectiveAction',
        'withdrawCase',
      ].sort(),
    );
  });

  it('names the schemas a client needs, and its login example is a placeholder', () => {
    const schemas = (document.components as { schemas: Json }).schemas;
    for (const name of ['CaseView', 'DecisionView', 'AuditEvent', 'CaseState', 'Outcome', 'ErrorBody', 'Role', 'CaseCommand']) {
      expect(schemas).toHaveProperty(name);
    }
    const login = schemas.LoginDto as { properties: { password: { example: string } } };
    expect(login.properties.password.example).toBe('<your password>');
  });

  it('declares the refusal kinds as one enum, on error bodies and on allowed-actions entries', () => {
    const schemas = (document.components as { schemas: Record<string, { enum?: string[]; properties?: Json }> }).schemas;
    expect(schemas.Refusal?.enum).toEqual(
      expect.arrayContaining([
        'STATE',
        'STALE_VERSION',
        'ROLE',
        'SCOPE',
        'RECUSAL',
        'SEPARATION_OF_DUTIES',
        'APPEAL_WINDOW_CLOSED',
        'RULE',
      ]),
    );
    expect(JSON.stringify(schemas.ErrorBody.properties?.refusal)).toContain('#/components/schemas/Refusal');
    expect(JSON.stringify(schemas.AllowedAction.properties?.refusal)).toContain('#/components/schemas/Refusal');
  });

  it('passes `redocly lint` without errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      let output: string;
      try {
        // From the project root, so redocly.yaml applies; no telemetry, no update check.
        output = execFileSync('npx', ['redocly', 'lint', file, '--format=summary'], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        });
      } catch (error) {
        const failed = error as { stdout?: string; stderr?: string };
        throw new Error(`redocly lint failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`, { cause: error });
      }
      expect(output).not.toMatch(/^error/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Real answers along a case's whole life, each checked against the schema its operation declares (extra
 * fields fail too): a description that lies about a body, a status or a header fails here.
 */
describe('the answers conform to the description', () => {
  let t: TestApp;
  let api: OpenApiConformance;
  let cast: Cast;

  beforeAll(async () => {
    t = await TestApp.start();
    api = new OpenApiConformance((await t.http.get('/docs-json').expect(200)).body as Json);
    cast = await createCast(t);
  });
  afterAll(() => t.stop());

  it('along open → evidence → explanation → assessment → review → appeal, and the reads', async () => {
    const check = api.check.bind(api);
    check('getHealth', await t.http.get('/health'));
    check('login', await t.http.post('/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }));
    check('login', await t.http.post('/auth/login').send({ username: 'admin' }));
    check('listCases', await t.http.get('/cases'));
    check('listPolicies', await t.http.get('/policies').set(auth(cast.officer)));
    check('getPolicy', await t.http.get('/policies/default/1').set(auth(cast.officer)));
    check('findCadres', await t.http.get('/cadres?limit=1').set(auth(cast.officer)));

    const opened = check(
      'openCase',
      await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, subjectId: cast.cadre.id }),
    );
    const id = (opened.body as { id: string }).id;
    check(
      'openCase',
      await t.http
        .post('/cases')
        .set(auth(cast.officer))
        .send({ ...NEW_CASE, title: '' }),
    );
    check('getCase', await t.http.get(`/cases/${id}`).set(auth(cast.cadre)));
    check('getCase', await t.http.get('/cases/00000000-0000-4000-8000-000000000000').set(auth(cast.cadre)));
    check('getDecision', await t.http.get(`/cases/${id}/decision`).set(auth(cast.officer)));
    const evidence = check(
      'uploadEvidence',
      await t.http.post(`/cases/${id}/evidence`).set(auth(cast.cadre)).attach('file', SAMPLES.pdf, 'minutes.pdf'),
    );
    const evidenceId = (evidence.body as { id: string }).id;
    check('listEvidence', await t.http.get(`/cases/${id}/evidence`).set(auth(cast.cadre)));
    check('downloadEvidence', await t.http.get(`/cases/${id}/evidence/${evidenceId}`).set(auth(cast.cadre)));
    check(
      'submitExplanation',
      await t.http.post(`/cases/${id}/explanation`).set(auth(cast.cadre)).set('If-Match', '"1"').send({ statement: 'x' }),
    );
    check(
      'submitExplanation',
      await t.http
        .post(`/cases/${id}/explanation`)
        .set(auth(cast.cadre))
        .send({ statement: 'I acted under the pilot mandate.', evidenceIds: [evidenceId] }),
    );
    check(
      'recordAssessment',
      await t.http
        .post(`/cases/${id}/assessment`)
        .set(auth(cast.assessor))
        .send({ ...TOLERABLE_ASSESSMENT, evidence: { intent: [evidenceId] } }),
    );
    check('getDecision', await t.http.get(`/cases/${id}/decision`).set(auth(cast.officer)));
    check('listAllowedActions', await t.http.get(`/cases/${id}/allowed-actions`).set(auth(cast.officer)));
    check('listAllowedActions', await t.http.get(`/cases/${id}/allowed-actions?include=refusal`).set(auth(cast.officer)));
    check('reviewCase', await t.http.post(`/cases/${id}/review`).set(auth(cast.officer)).send({ decision: 'approve' }));
    check('reviewCase', await t.http.post(`/cases/${id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }));
    check('listMyTasks', await t.http.get('/me/tasks').set(auth(cast.cadre)));
    check(
      'appealDecision',
      await t.http.post(`/cases/${id}/appeal`).set(auth(cast.cadre)).send({ reason: 'The loss was recovered in full.' }),
    );
    check(
      'decideAppeal',
      await t.http.post(`/cases/${id}/appeal-review`).set(auth(cast.otherLeader)).send({ decision: 'uphold', reason: 'Upheld.' }),
    );
    check('getCase', await t.http.get(`/cases/${id}?asOf=2030-01-01`).set(auth(cast.cadre)));
    check('listAuditEvents', await t.http.get(`/cases/${id}/audit?limit=2`).set(auth(cast.cadre)));
    check('verifyAuditTrail', await t.http.get(`/cases/${id}/audit/verify`).set(auth(cast.officer)));
    check('listAccessLog', await t.http.get(`/cases/${id}/access-log`).set(auth(cast.officer)));
    check('getDossier', await t.http.get(`/cases/${id}/dossier`).set(auth(cast.cadre)));
    check('getCheckpoint', await t.http.get('/audit/checkpoint').set(auth(cast.leader)));
    check('getCheckpointProof', await t.http.get(`/cases/${id}/checkpoint-proof`).set(auth(cast.cadre)));
    check('getCadreRecord', await t.http.get(`/cadres/${cast.cadre.id}/record`).set(auth(cast.cadre)));
    const notifications = check('listMyNotifications', await t.http.get('/me/notifications').set(auth(cast.cadre)));
    const notificationId = (notifications.body as { items: Array<{ id: string }> }).items[0].id;
    check('markNotificationRead', await t.http.post(`/me/notifications/${notificationId}/read`).set(auth(cast.cadre)));
    check('getSummaryReport', await t.http.get('/reports/summary').set(auth(cast.leader)));
    check('exportCasesCsv', await t.http.get('/reports/cases.csv').set(auth(cast.leader)));
    check('listCases', await t.http.get('/cases').set(auth(cast.leader)));
  });

  it('along correction, withdrawal and the directory', async () => {
    const check = api.check.bind(api);
    const opened = await t.http
      .post('/cases')
      .set(auth(cast.officer))
      .send({ ...NEW_CASE, subjectId: cast.cadre.id })
      .expect(201);
    const id = (opened.body as { id: string }).id;
    await t.http.post(`/cases/${id}/explanation`).set(auth(cast.cadre)).send({ statement: 'Statement.' }).expect(200);
    await t.http.post(`/cases/${id}/assessment`).set(auth(cast.assessor)).send(CORRECT_ASSESSMENT).expect(200);
    await t.http.post(`/cases/${id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
    const action = check(
      'addCorrectiveAction',
      await t.http.post(`/cases/${id}/corrective-actions`).set(auth(cast.officer)).send({ description: 'Fix it' }),
    );
    const actionId = (action.body as { id: string }).id;
    check(
      'reportCorrectiveAction',
      await t.http.post(`/cases/${id}/corrective-actions/${actionId}/report`).set(auth(cast.cadre)).send({ note: 'Done.' }),
    );
    check(
      'verifyCorrectiveAction',
      await t.http
        .post(`/cases/${id}/corrective-actions/${actionId}/verify`)
        .set(auth(cast.officer))
        .send({ accepted: true, note: 'Seen.' }),
    );
    const other = await t.http
      .post('/cases')
      .set(auth(cast.officer))
      .send({ ...NEW_CASE, subjectId: cast.cadre.id })
      .expect(201);
    check(
      'withdrawCase',
      await t.http
        .post(`/cases/${(other.body as { id: string }).id}/withdraw`)
        .set(auth(cast.officer))
        .send({ reason: 'Opened by mistake.', clearName: true }),
    );

    const admin = await t.adminToken();
    check('createUnit', await t.http.post('/units').set(auth(admin)).send({ name: 'Planning office' }));
    check('listUnits', await t.http.get('/units').set(auth(admin)));
    const user = check(
      'createUser',
      await t.http
        .post('/users')
        .set(auth(admin))
        .send({ username: 'li.na', password: 'violet-harbour-lantern-42', displayName: '李娜', roles: ['officer'], unitId: t.rootUnitId }),
    );
    const userId = (user.body as { id: string }).id;
    check('createUser', await t.http.post('/users').set(auth(cast.officer)).send({}));
    check('listUsers', await t.http.get('/users?limit=1').set(auth(admin)));
    check('updateUser', await t.http.patch(`/users/${userId}`).set(auth(admin)).send({ displayName: '李娜娜' }));
    check('resetPassword', await t.http.post(`/users/${userId}/reset-password`).set(auth(admin)));
    check(
      'declareConflict',
      await t.http.post('/conflicts').set(auth(cast.leader)).send({ userId: cast.leader.id, subjectId: cast.cadre.id, reason: 'cousin' }),
    );
    check('listConflicts', await t.http.get('/conflicts').set(auth(cast.leader)));
    check('getReadiness', await t.http.get('/health/ready'));
    check('getMetrics', await t.http.get('/metrics').set(auth(admin)));
    check('getMetrics', await t.http.get('/metrics').set(auth(cast.officer)));
    const officer = await t.user(['officer']);
    check(
      'changePassword',
      await t.http
        .post('/me/password')
        .set(auth(officer))
        .send({ currentPassword: 'password-for-tests', newPassword: 'amber-meadow-falcon-77' }),
    );
    check('logout', await t.http.post('/auth/logout').set(auth(cast.assessor)));
    check('logout', await t.http.post('/auth/logout').set(auth(cast.assessor)));
  });

  afterAll(() => {
    // Every operation was exercised at least once (run order: both tests above ran before this).
    expect(api.operationIds.filter((id) => !api.checked.has(id))).toEqual([]);
  });
});
