import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import ts from 'typescript';

import { TestApp, type TestUser } from './support/test-app.js';

const ROOT = resolve(import.meta.dirname, '..');
const run = promisify(execFile);

/**
 * The program an integrator would write: only the types generated from /docs-json, openapi-fetch, no
 * hand-written response type and no cast. It walks a case from opening to a verified decision and prints
 * what it saw; any answer it did not expect throws.
 */
const WALK = `
import createClient from 'openapi-fetch';
import type { components, paths } from './api.js';

type Outcome = components['schemas']['Outcome'];
type CaseState = components['schemas']['CaseState'];

async function session(baseUrl: string, username: string): Promise<ReturnType<typeof createClient<paths>>> {
  const anonymous = createClient<paths>({ baseUrl });
  const login = await anonymous.POST('/auth/login', { body: { username, password: 'password-for-tests' } });
  if (!login.data) {
    throw new Error('login ' + username + ': ' + (login.error?.message ?? 'no answer'));
  }
  const token: string = login.data.accessToken;
  return createClient<paths>({ baseUrl, headers: { Authorization: 'Bearer ' + token } });
}

async function main(): Promise<void> {
  const [baseUrl, officerName, cadreName, assessorName, leaderName, subjectId] = process.argv.slice(2);
  const officer = await session(baseUrl, officerName);
  const cadre = await session(baseUrl, cadreName);
  const assessor = await session(baseUrl, assessorName);
  const leader = await session(baseUrl, leaderName);

  const opened = await officer.POST('/cases', {
    body: { subjectId, title: 'Pilot overran its budget', description: 'Spent 12% over.', occurredAt: '2026-03-15', category: 'project-approval' },
  });
  if (!opened.data) {
    throw new Error('openCase: ' + (opened.error?.message ?? ''));
  }
  const id: string = opened.data.id;
  const path = { path: { id } };
  let state: CaseState = opened.data.state;
  const etag = opened.response.headers.get('ETag') ?? '*';

  const explained = await cadre.POST('/cases/{id}/explanation', {
    params: { ...path, header: { 'If-Match': etag } },
    body: { statement: 'I acted under the pilot mandate.' },
  });
  if (!explained.data) {
    throw new Error('submitExplanation: ' + (explained.error?.message ?? ''));
  }
  state = explained.data.state;

  const assessed = await assessor.POST('/cases/{id}/assessment', {
    params: path,
    body: {
      intent: 'negligent', motive: 'public', nature: 'trial-and-error', severity: 'minor', exclusions: [],
      conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true },
      findings: 'Acted in good faith; loss recovered.',
    },
  });
  if (!assessed.data?.recommendation) {
    throw new Error('recordAssessment: ' + (assessed.error?.message ?? 'no recommendation'));
  }
  const recommended: Outcome = assessed.data.recommendation.outcome;

  const refused = await officer.POST('/cases/{id}/review', { params: path, body: { decision: 'approve' } });
  if (refused.data || refused.error.statusCode !== 403) {
    throw new Error('an officer reviewed the case');
  }
  const reviewed = await leader.POST('/cases/{id}/review', { params: path, body: { decision: 'approve' } });
  if (!reviewed.data) {
    throw new Error('reviewCase: ' + (reviewed.error?.message ?? ''));
  }
  state = reviewed.data.state;

  const decision = await cadre.GET('/cases/{id}/decision', { params: path });
  if (!decision.data?.final) {
    throw new Error('getDecision: ' + (decision.error?.message ?? 'no final decision'));
  }
  const outcome: Outcome = decision.data.final.outcome;
  const factors: string[] = decision.data.factors.map((factor) => factor.name);

  const verified = await officer.GET('/cases/{id}/audit/verify', { params: path });
  if (!verified.data) {
    throw new Error('verifyAuditTrail: ' + (verified.error?.message ?? ''));
  }
  const events = await cadre.GET('/cases/{id}/audit', { params: { ...path, query: { limit: 100 } } });
  const types: string[] = (events.data ?? []).map((event) => event.type);

  console.log(JSON.stringify({ state, recommended, outcome, factors: factors.length, valid: verified.data.valid, replayMatches: verified.data.replay.matches, types }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** Type-checks and emits the program as strictly as the project (plus a few stricter flags); returns the errors. */
function compile(dir: string): string[] {
  const program = ts.createProgram([join(dir, 'walk.ts')], {
    strict: true,
    noImplicitAny: true,
    noUncheckedIndexedAccess: false,
    exactOptionalPropertyTypes: false,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    skipLibCheck: true,
    outDir: dir,
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics.map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('a client generated from the description (openapi-typescript + openapi-fetch)', () => {
  let t: TestApp;
  let baseUrl: string;
  let dir: string;
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    t = await TestApp.start();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
    for (const [name, role] of [
      ['officer', 'officer'],
      ['assessor', 'officer'],
      ['cadre', 'cadre'],
      ['leader', 'leader'],
    ] as const) {
      users[name] = await t.user([role]);
    }
    // Inside the project, so that the compiled program resolves openapi-fetch from node_modules (gitignored).
    dir = mkdtempSync(join(ROOT, '.build-test-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.stop();
  });

  it('compiles a case walk with the generated types only (strict, no casts) and runs it against the live service', async () => {
    const description = (await (await fetch(`${baseUrl}/docs-json`)).json()) as OpenAPI3;
    // defaultNonNullable off: a request field with a default (`source`) stays optional to send (docs/api.md).
    writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(description, { defaultNonNullable: false })));
    writeFileSync(join(dir, 'walk.ts'), WALK);
    // The program must not smuggle its own types in.
    expect(WALK).not.toMatch(/\bas\s+(?!const\b)[A-Za-z{[]|<[A-Z]\w*>\s*\(|\binterface\s/);

    // The errors are the diff: which operation's types no longer fit the program.
    expect(compile(dir)).toEqual([]);

    const { officer, cadre, assessor, leader } = users;
    const { stdout } = await run(
      process.execPath,
      [join(dir, 'walk.js'), baseUrl, officer.username, cadre.username, assessor.username, leader.username, cadre.id],
      { cwd: dir, timeout: 30_000 },
    );
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    expect(seen).toEqual({
      state: 'decided',
      recommended: 'tolerate',
      outcome: 'tolerate',
      factors: 10,
      valid: true,
      replayMatches: true,
      types: expect.arrayContaining(['case.opened', 'explanation.submitted', 'assessment.recorded']),
    });
  });
});
