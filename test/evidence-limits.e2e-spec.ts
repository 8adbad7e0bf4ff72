import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';

import { runSql } from '../src/database/sql.js';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { type Cast, createCast, openCase } from './support/case-actors.js';
import { expectRefusal, withoutWriting } from './support/expectations.js';
import { auth, TestApp, type TestUser } from './support/test-app.js';

const MINUTE = 60 * 1000;

/**
 * Issue 16: the subject of one open case added 400 files in 4.4 s and 42.7 MB in half a second. Limits per
 * person on one case and per person per hour, small here so that a test can reach them.
 */
describe('evidence limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({
      SWEEP_INTERVAL_MS: String(24 * 3600 * 1000),
      EVIDENCE_MAX_FILES_PER_CASE: '3',
      EVIDENCE_MAX_BYTES_PER_CASE: '3000',
      EVIDENCE_MAX_FILES_PER_HOUR: '5',
      EVIDENCE_MAX_BYTES_PER_HOUR: '6000',
    });
  });
  afterAll(() => t.stop());

  /** UTF-8 text of `size` bytes that no other test uploads. */
  const unique = (size = 100): Buffer => Buffer.from(`evidence ${randomUUID()} `.padEnd(size, 'x'), 'utf8');
  const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
  const upload = (user: TestUser, caseId: string, bytes: Buffer): Promise<Response> =>
    t.http.post(`/cases/${caseId}/evidence`).set(auth(user)).attach('file', bytes, 'note.txt');
  const accepted = async (user: TestUser, caseId: string, bytes: Buffer = unique()) => {
    const response = await upload(user, caseId, bytes);
    expect([response.status, response.body.message]).toEqual([201, undefined]);
  };
  const rowsOf = (caseId: string) =>
    t.app
      .get(UnitOfWork)
      .read(async (manager) => (await runSql(manager, 'SELECT id FROM evidence WHERE case_id = ?', [caseId])).rows.length);
  const stored = (bytes: Buffer) => existsSync(join(t.dataDir, 'evidence', sha256(bytes).slice(0, 2), sha256(bytes)));
  const leftovers = () => readdirSync(join(t.dataDir, 'evidence')).filter((name) => name.startsWith('.'));

  /** The refused upload left nothing: no row, no audit event, same case version, no stored or temporary file. */
  async function refusedWithoutTrace(cast: Cast, caseId: string, user: TestUser, bytes: Buffer): Promise<Response> {
    const rows = await rowsOf(caseId);
    const response = await withoutWriting(t, cast.officer, caseId, () => upload(user, caseId, bytes));
    expect(await rowsOf(caseId)).toBe(rows);
    expect(stored(bytes)).toBe(false);
    expect(leftovers()).toEqual([]);
    return response;
  }

  it('the subject cannot flood a case: the 4th file is 429 naming the limit, nothing is written, officers still add theirs', async () => {
    const cast = await createCast(t);
    const caseId = (await openCase(t, cast)).id;
    for (let i = 0; i < 3; i++) {
      await accepted(cast.cadre, caseId);
    }
    const response = await refusedWithoutTrace(cast, caseId, cast.cadre, unique());
    expectRefusal(response, 429, 'file: you have added 3 files to this case');
    expect(response.body.message).toContain('EVIDENCE_MAX_FILES_PER_CASE: 3');
    // each uploader's share is their own: the subject's full share does not shut the officers out
    await accepted(cast.officer, caseId);
  });

  it('a file that would take the uploader past the bytes allowed on a case: 413 naming the limit, nothing stored', async () => {
    const cast = await createCast(t);
    const caseId = (await openCase(t, cast)).id;
    await accepted(cast.cadre, caseId, unique(2000));
    const response = await refusedWithoutTrace(cast, caseId, cast.cadre, unique(1500));
    expectRefusal(response, 413, 'file: this file');
    expect(response.body.message).toContain('EVIDENCE_MAX_BYTES_PER_CASE');
    await accepted(cast.cadre, caseId, unique(1000)); // what still fits is accepted
  });

  it('per person per hour over all cases: 429 with Retry-After naming the limit; accepted once the hour has passed', async () => {
    const cast = await createCast(t);
    const cases = [(await openCase(t, cast)).id, (await openCase(t, cast)).id, (await openCase(t, cast)).id];
    const start = t.clock.now().getTime();
    for (const caseId of [cases[0], cases[0], cases[1], cases[1], cases[2]]) {
      await accepted(cast.cadre, caseId);
      t.clock.advance(MINUTE);
    }
    const response = await refusedWithoutTrace(cast, cases[2], cast.cadre, unique());
    expectRefusal(response, 429, 'file: you have added 5 files in the last hour');
    expect(response.body.message).toContain('EVIDENCE_MAX_FILES_PER_HOUR: 5');
    expect(response.headers['retry-after']).toBe(String(60 * 60 - 5 * 60)); // until the first of the five leaves the hour
    t.clock.set(new Date(start + 60 * MINUTE + 1));
    await accepted(cast.cadre, cases[2]);
  });

  it('bytes per person per hour: 429 naming the limit', async () => {
    const cast = await createCast(t);
    const cases = [(await openCase(t, cast)).id, (await openCase(t, cast)).id, (await openCase(t, cast)).id];
    await accepted(cast.officer, cases[0], unique(2500));
    await accepted(cast.officer, cases[1], unique(2500));
    const response = await refusedWithoutTrace(cast, cases[2], cast.officer, unique(2500));
    expectRefusal(response, 429, 'file: you have added 4.9 KB');
    expect(response.body.message).toContain('EVIDENCE_MAX_BYTES_PER_HOUR');
    expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('parallel uploads cannot slip past a limit: to one case exactly 3 of 8 are kept, to 8 cases exactly 5', async () => {
    const cast = await createCast(t);
    const caseId = (await openCase(t, cast)).id;
    const files = Array.from({ length: 8 }, () => unique());
    const statuses = (await Promise.all(files.map((bytes) => upload(cast.cadre, caseId, bytes)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(await rowsOf(caseId)).toBe(3);
    expect(files.filter(stored)).toHaveLength(3);

    const other = await createCast(t);
    const many = await Promise.all(Array.from({ length: 8 }, () => openCase(t, other)));
    const spread = await Promise.all(many.map((c) => upload(other.cadre, c.id, unique())));
    expect(spread.filter((r) => r.status === 201)).toHaveLength(5);
    expect(spread.filter((r) => r.status === 429).map((r) => r.body.message as string)).toEqual(
      Array.from({ length: 3 }, () => expect.stringContaining('EVIDENCE_MAX_FILES_PER_HOUR')),
    );
    expect(leftovers()).toEqual([]);
  });
});
