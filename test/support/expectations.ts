import { expect } from '@jest/globals';
import type { Response } from 'supertest';

import { auth, type TestApp, type TestUser } from './test-app.js';

/**
 * A refusal as the contract describes it: the status, the error body `{statusCode, error, message,
 * requestId}` and nothing that leaks internals (stack traces, SQL, driver codes).
 */
export function expectRefusal(response: Response, status: number, message?: string | RegExp): void {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { statusCode: status, error: expect.any(String), message: expect.any(String), requestId: expect.any(String) },
  });
  expect(response.body.requestId).toBe(response.headers['x-request-id']);
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+:\d+:\d+|SQLITE|SELECT |INSERT |UPDATE "|stack/i);
  if (typeof message === 'string') {
    expect(response.body.message).toContain(message);
  } else if (message) {
    expect(response.body.message).toMatch(message);
  }
}

/** What a command can change on a case: state, version and the length of its audit trail. */
export interface Footprint {
  state: string;
  version: number;
  auditLength: number;
}

export async function footprint(t: TestApp, viewer: TestUser, caseId: string): Promise<Footprint> {
  const view = await t.http.get(`/cases/${caseId}`).set(auth(viewer)).expect(200);
  const audit = await t.http.get(`/cases/${caseId}/audit`).set(auth(viewer)).expect(200);
  return { state: view.body.state, version: view.body.version, auditLength: audit.body.length };
}

/**
 * Runs `act` and asserts it wrote nothing to the case: same state, same version, same audit length.
 * Returns the response so the caller can check the refusal.
 */
export async function withoutWriting(t: TestApp, viewer: TestUser, caseId: string, act: () => Promise<Response>): Promise<Response> {
  const before = await footprint(t, viewer, caseId);
  const response = await act();
  expect(await footprint(t, viewer, caseId)).toEqual(before);
  return response;
}
