import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { EvidenceSweeper } from '../../src/evidence/evidence-sweeper.js';
import { caseAwaitingReview, type Cast, createCast, openCase } from '../support/case-actors.js';
import { auditOf, EXPLANATION_DUE, justAfter, START, sweep } from '../support/case-life.js';
import { ADMIN_PASSWORD, auth, TestApp } from '../support/test-app.js';
import { TestDatabase } from '../support/test-database.js';

const statuses = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();
const QUIET = { SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) };

/**
 * Two instances of the service on one PostgreSQL database, as a province-wide deployment runs them:
 * commands racing through different instances, both sweepers firing the same due deadlines.
 */
describe('two service instances on one PostgreSQL database', () => {
  let a: TestApp;
  let b: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    a = await TestApp.start(QUIET);
    b = await TestApp.start({ ...QUIET, ...a.database.env });
    for (const app of [a, b]) {
      app.clock.set(START);
    }
    cast = await createCast(a);
  });
  afterAll(async () => {
    await b.app.close();
    await a.stop();
  });

  /** Both instances' clocks: they read the same wall clock in production. */
  const setClocks = (at: Date) => [a, b].forEach((app) => app.clock.set(at));

  it('accept each other’s tokens without JWT_SECRET (the generated secret is shared in the database)', async () => {
    const token = await a.login('admin', ADMIN_PASSWORD);
    await b.http.get('/units').set(auth(token)).expect(200);
    await a.http.get(`/cases?pageSize=1`).set(auth(cast.officer)).expect(200);
    await b.http.get(`/cases?pageSize=1`).set(auth(cast.officer)).expect(200);
  });

  it('racing reviews through both instances: one winner per case, the rest 409, one linear audit chain', async () => {
    const cases = await Promise.all(Array.from({ length: 5 }, () => caseAwaitingReview(a, cast)));
    for (const opened of cases) {
      const racing = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 === 0 ? a : b).http
            .post(`/cases/${opened.id}/review`)
            .set(auth(i % 4 < 2 ? cast.leader : cast.otherLeader))
            .send({ decision: 'approve' }),
        ),
      );
      expect(statuses(racing)).toEqual([200, ...Array(9).fill(409)]);
      const trail = await auditOf(b, cast.officer, opened.id);
      expect(trail.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(trail.filter((e) => e.type === 'review.approved')).toHaveLength(1);
      const verified = await a.http.get(`/cases/${opened.id}/audit/verify`).set(auth(cast.officer)).expect(200);
      expect(verified.body).toMatchObject({ valid: true, length: 4, replay: { matches: true } });
    }
  });

  it('two explanations of one case through different instances: one is recorded, the other refused', async () => {
    const opened = await openCase(a, cast);
    const racing = await Promise.all(
      (['first account', 'second account'] as const).map((statement, i) =>
        (i === 0 ? a : b).http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement }),
      ),
    );
    expect(statuses(racing)).toEqual([200, 409]);
    const winner = racing.findIndex((r) => r.status === 200) === 0 ? 'first account' : 'second account';
    const trail = await auditOf(b, cast.officer, opened.id);
    expect(trail.map((e) => [e.seq, e.type])).toEqual([
      [1, 'case.opened'],
      [2, 'explanation.submitted'],
    ]);
    expect(trail[1].data).toMatchObject({ statement: winner });
  });

  it('both sweepers fire each due deadline exactly once, while officers act on the same cases', async () => {
    setClocks(START);
    const cases = await Promise.all(Array.from({ length: 30 }, () => openCase(a, cast)));
    setClocks(justAfter(EXPLANATION_DUE));
    // Withdrawals race the two sweepers on a third of the cases: each takes the case row lock in turn.
    const withdrawn = cases.filter((_, i) => i % 3 === 0);
    const [firedByA, firedByB, firedAgainByA, ...withdrawals] = await Promise.all([
      sweep(a),
      sweep(b),
      sweep(a),
      ...withdrawn.map((opened) => b.http.post(`/cases/${opened.id}/withdraw`).set(auth(cast.officer)).send({ reason: 'Unfounded.' })),
    ]);
    expect(withdrawals.map((r) => r.status)).toEqual(withdrawn.map(() => 200));
    expect(await sweep(b)).toBe(0);

    let missedInAll = 0;
    for (const opened of cases) {
      const trail = await auditOf(a, cast.officer, opened.id);
      const missed = trail.filter((e) => e.type === 'explanation.missed').length;
      expect(missed).toBeLessThanOrEqual(1);
      missedInAll += missed;
      expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
      const verified = await b.http.get(`/cases/${opened.id}/audit/verify`).set(auth(cast.officer)).expect(200);
      expect(verified.body).toMatchObject({ valid: true, replay: { matches: true } });
    }
    // Every case not withdrawn first had its deadline fired, by one of the instances, once.
    expect(firedByA + firedByB + firedAgainByA).toBe(missedInAll);
    expect(missedInAll).toBeGreaterThanOrEqual(cases.length - withdrawn.length);
  });

  it('evidence: one person’s parallel uploads through both instances stay within the hourly limit', async () => {
    // two more instances on the same database, with a limit a test can reach
    const limited = { ...QUIET, ...a.database.env, EVIDENCE_MAX_FILES_PER_HOUR: '5' };
    const [c, d] = await Promise.all([TestApp.start(limited), TestApp.start(limited)]);
    try {
      const uploader = await createCast(a);
      const cases = await Promise.all(Array.from({ length: 8 }, () => openCase(a, uploader)));
      const racing = await Promise.all(
        cases.map((opened, i) =>
          (i % 2 === 0 ? c : d).http
            .post(`/cases/${opened.id}/evidence`)
            .set(auth(uploader.cadre))
            .attach('file', Buffer.from(`note ${randomUUID()}\n`), 'note.txt'),
        ),
      );
      expect(statuses(racing)).toEqual([201, 201, 201, 201, 201, 429, 429, 429]);
    } finally {
      await Promise.all([c.app.close(), d.app.close()]);
    }
  });

  it('evidence: both instances sweep the shared folder side by side; each orphan goes once, every referenced file stays', async () => {
    setClocks(START);
    const opened = await openCase(a, cast);
    const kept = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        (i % 2 === 0 ? a : b).http
          .post(`/cases/${opened.id}/evidence`)
          .set(auth(cast.cadre))
          .attach('file', Buffer.from(`kept ${randomUUID()}\n`), 'kept.txt')
          .expect(201),
      ),
    );
    const root = join(a.dataDir, 'evidence');
    const orphans = Array.from({ length: 20 }, () => createHash('sha256').update(randomUUID()).digest('hex'));
    for (const sha of orphans) {
      mkdirSync(join(root, sha.slice(0, 2)), { recursive: true });
      writeFileSync(join(root, sha.slice(0, 2), sha), sha);
      utimesSync(join(root, sha.slice(0, 2), sha), START, START);
    }
    setClocks(new Date(START.getTime() + 2 * 60 * 60 * 1000));
    const removed = await Promise.all([a, b, a, b].map((app) => app.app.get(EvidenceSweeper).sweep()));
    expect(removed.reduce((sum, n) => sum + n, 0)).toBe(orphans.length);
    expect(orphans.filter((sha) => existsSync(join(root, sha.slice(0, 2), sha)))).toEqual([]);
    for (const [i, upload] of kept.entries()) {
      await (i % 2 === 0 ? b : a).http.get(`/cases/${opened.id}/evidence/${upload.body.id}`).set(auth(cast.officer)).expect(200);
    }
    expect(readdirSync(root).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('two instances starting together on an empty database apply the migrations once and create one admin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'case-review-two-'));
    const fresh = await TestDatabase.create(dir);
    const apps: TestApp[] = [];
    try {
      apps.push(...(await Promise.all([TestApp.start({ ...QUIET, ...fresh.env }), TestApp.start({ ...QUIET, ...fresh.env })])));
      const admins = await fresh.query<{ n: string }>("SELECT COUNT(*) AS n FROM users WHERE username = 'admin'");
      expect(Number(admins.rows[0].n)).toBe(1);
      const migrations = await fresh.query<{ name: string }>('SELECT name FROM migrations');
      expect(new Set(migrations.rows.map((row) => row.name)).size).toBe(migrations.rows.length);
      await apps[1].http
        .get('/units')
        .set(auth(await apps[0].login('admin', ADMIN_PASSWORD)))
        .expect(200);
    } finally {
      for (const app of apps) {
        await app.app.close();
      }
      await fresh.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
