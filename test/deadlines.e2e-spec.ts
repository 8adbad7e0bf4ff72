import { rmSync } from 'node:fs';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

import { ManualClock } from '../src/common/clock.js';
import { loadConfig } from '../src/config/app-config.js';
import { createApp } from '../src/configure-app.js';
import { DeadlineSweeper } from '../src/deadlines/deadline-sweeper.js';
import { caseAwaitingReview, type Cast, createCast, openCase } from './support/case-actors.js';
import {
  APPEAL_DUE,
  auditOf,
  caseCountMismatches,
  caseView,
  decidedCase,
  EXPLANATION_DUE,
  justAfter,
  nextDueMismatches,
  notificationsOf,
  type OutcomeName,
  recipients,
  REVIEW_DUE,
  startQuietApp,
  sweep,
} from './support/case-life.js';
import { expectRefusal } from './support/expectations.js';
import { ADMIN_PASSWORD, auth, type TestApp } from './support/test-app.js';

/** Each test gets its own database: a sweep's count then covers only that test's deadlines. */
describe('deadlines (moved clock, no sleeping)', () => {
  let t: TestApp;
  let cast: Cast;

  beforeEach(async () => {
    t = await startQuietApp();
    cast = await createCast(t);
  });
  afterEach(async () => {
    // Whatever opened, closed or fired deadlines in the test, each case's next_due_at followed.
    expect(await nextDueMismatches(t)).toEqual([]);
    expect(await caseCountMismatches(t)).toEqual([]);
    await t.stop();
  });

  describe('explanation (陈述申辩) deadline', () => {
    it('runs five working days from opening', async () => {
      const opened = await openCase(t, cast);
      expect(opened.deadlines).toEqual([{ kind: 'explanation', dueAt: EXPLANATION_DUE, overdue: false, actionId: null }]);
    });

    it('fires nothing before it passes, not even at its last instant', async () => {
      const opened = await openCase(t, cast);
      t.clock.set(new Date('2026-01-09T09:00:00.000Z'));
      expect(await sweep(t)).toBe(0);
      t.clock.set(new Date(EXPLANATION_DUE));
      expect(await sweep(t)).toBe(0);
      const view = await caseView(t, cast.officer, opened.id);
      expect(view).toMatchObject({ state: 'awaitingExplanation', version: 1 });
      expect((await auditOf(t, cast.officer, opened.id)).map((e) => e.type)).toEqual(['case.opened']);
      // the cadre may still explain at the last instant
      await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'Just in time.' }).expect(200);
    });

    it('once passed, the sweep moves the case on to assessment as "no explanation received", as system', async () => {
      const opened = await openCase(t, cast);
      t.clock.set(justAfter(EXPLANATION_DUE));
      expect(await sweep(t)).toBe(1);

      const view = await caseView(t, cast.officer, opened.id);
      expect(view).toMatchObject({ state: 'underAssessment', explanation: null, version: 2, deadlines: [] });
      expect(view.allowedActions).toEqual(['assessment', 'withdraw', 'evidence']);

      const audit = await auditOf(t, cast.officer, opened.id);
      expect(audit.map((e) => e.type)).toEqual(['case.opened', 'explanation.missed']);
      expect(audit[1]).toMatchObject({
        actorId: 'system',
        actorRole: 'system',
        at: justAfter(EXPLANATION_DUE).toISOString(),
        data: {
          kind: 'explanation',
          dueAt: EXPLANATION_DUE,
          noExplanationReceived: true,
          transition: { from: 'awaitingExplanation', to: 'underAssessment' },
          caseVersion: 2,
        },
      });
      const verify = await t.http.get(`/cases/${opened.id}/audit/verify`).set(auth(cast.leader)).expect(200);
      expect(verify.body).toMatchObject({ valid: true, length: 2, firstInvalidSeq: null, replay: { matches: true } });

      const missed = await notificationsOf(t, opened.id, 'deadline.missed');
      expect(recipients(missed)).toEqual([cast.cadre.id, cast.officer.id].sort());
      expect(missed[0].message).toContain('No explanation was received');

      // the statement can no longer be submitted
      const late = await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'Too late.' });
      expectRefusal(late, 409);
    });

    it('fires exactly once: a second sweep, and sweeps racing each other, fire nothing more', async () => {
      const first = await openCase(t, cast);
      const second = await openCase(t, cast);
      t.clock.set(justAfter(EXPLANATION_DUE));
      const racing = await Promise.all([sweep(t), sweep(t), sweep(t)]);
      expect(racing.reduce((a, b) => a + b, 0)).toBe(2);
      t.clock.advance(3600_000);
      expect(await sweep(t)).toBe(0);
      for (const id of [first.id, second.id]) {
        const audit = await auditOf(t, cast.officer, id);
        expect(audit.filter((e) => e.type === 'explanation.missed')).toHaveLength(1);
        expect(await notificationsOf(t, id, 'deadline.missed')).toHaveLength(2);
        expect((await caseView(t, cast.officer, id)).version).toBe(2);
      }
    });

    it('is closed by the explanation: nothing fires after the cadre explained in time', async () => {
      const opened = await openCase(t, cast);
      await t.http.post(`/cases/${opened.id}/explanation`).set(auth(cast.cadre)).send({ statement: 'In time.' }).expect(200);
      t.clock.set(justAfter(EXPLANATION_DUE));
      expect(await sweep(t)).toBe(0);
      expect((await auditOf(t, cast.officer, opened.id)).map((e) => e.type)).toEqual(['case.opened', 'explanation.submitted']);
      expect(await notificationsOf(t, opened.id, 'deadline.missed')).toEqual([]);
    });
  });

  describe('review deadline: escalation', () => {
    it('once overdue, alerts the opener and the leaders of the unit and the units above; the state stays', async () => {
      const county = await t.createUnit('County');
      const township = await t.createUnit('Township', county);
      const sibling = await t.createUnit('Other county');
      const local = await createCast(t, township);
      const countyLeader = await t.user(['leader'], county);
      const siblingLeader = await t.user(['leader'], sibling);

      const pending = await caseAwaitingReview(t, local);
      expect(pending.deadlines).toEqual([{ kind: 'review', dueAt: REVIEW_DUE, overdue: false, actionId: null }]);
      t.clock.set(new Date(REVIEW_DUE));
      expect(await sweep(t)).toBe(0);

      t.clock.set(justAfter(REVIEW_DUE));
      expect(await sweep(t)).toBe(1);
      expect(await sweep(t)).toBe(0);

      const view = await caseView(t, local.officer, pending.id);
      expect(view).toMatchObject({ state: 'pendingReview', outcome: null, version: pending.version + 1 });
      const audit = await auditOf(t, local.officer, pending.id);
      expect(audit.filter((e) => e.type === 'deadline.escalated')).toHaveLength(1);
      expect(audit.at(-1)).toMatchObject({
        type: 'deadline.escalated',
        actorId: 'system',
        data: { kind: 'review', dueAt: REVIEW_DUE, transition: { from: 'pendingReview', to: 'pendingReview' } },
      });

      const escalations = await notificationsOf(t, pending.id, 'deadline.escalated');
      // the root unit's leaders (those of `cast`) are above the township too
      const above = [countyLeader.id, cast.leader.id, cast.otherLeader.id];
      expect(recipients(escalations)).toEqual([local.officer.id, local.leader.id, local.otherLeader.id, ...above].sort());
      expect(recipients(escalations)).not.toContain(local.assessor.id);
      expect(recipients(escalations)).not.toContain(local.cadre.id);
      expect(recipients(escalations)).not.toContain(siblingLeader.id);
      expect(escalations[0].message).toContain('review');

      // the leader can still review after the escalation
      const decided = await t.http.post(`/cases/${pending.id}/review`).set(auth(local.leader)).send({ decision: 'approve' }).expect(200);
      expect(decided.body.state).toBe('decided');
    });

    it('escalates exactly once even when sweeps race (the state does not change, so only the claim prevents a repeat)', async () => {
      const pending = await caseAwaitingReview(t, cast);
      t.clock.set(justAfter(REVIEW_DUE));
      const racing = await Promise.all([sweep(t), sweep(t), sweep(t)]);
      expect(racing.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await sweep(t)).toBe(0);
      const audit = await auditOf(t, cast.officer, pending.id);
      expect(audit.filter((e) => e.type === 'deadline.escalated')).toHaveLength(1);
      expect((await caseView(t, cast.officer, pending.id)).version).toBe(pending.version + 1);
      // opener + the two leaders of the unit, once each
      expect(await notificationsOf(t, pending.id, 'deadline.escalated')).toHaveLength(3);
    });

    it('is closed by the review: a case reviewed in time never escalates', async () => {
      const decided = await decidedCase(t, cast, 'tolerate');
      expect(decided.deadlines).toEqual([{ kind: 'appealWindow', dueAt: APPEAL_DUE, overdue: false, actionId: null }]);
      t.clock.set(justAfter(REVIEW_DUE));
      expect(await sweep(t)).toBe(0);
      expect(await notificationsOf(t, decided.id, 'deadline.escalated')).toEqual([]);
    });
  });

  describe('appeal window (申诉期)', () => {
    it.each([
      ['tolerate', 'closed'],
      ['hold-accountable', 'closed'],
      ['correct', 'correcting'],
    ] as Array<[OutcomeName, string]>)('closing on a %s decision takes the case to %s', async (outcome, target) => {
      const decided = await decidedCase(t, cast, outcome);
      expect(decided.appealDueAt).toBe(APPEAL_DUE);

      t.clock.set(new Date(APPEAL_DUE));
      expect(await sweep(t)).toBe(0);
      expect((await caseView(t, cast.officer, decided.id)).state).toBe('decided');

      t.clock.set(justAfter(APPEAL_DUE));
      expect(await sweep(t)).toBe(1);
      const view = await caseView(t, cast.cadre, decided.id);
      expect(view).toMatchObject({
        state: target,
        outcome,
        allowedActions: target === 'closed' ? [] : ['corrective-action-report', 'evidence'],
      });
      expect(view.closedAt).toBe(target === 'closed' ? justAfter(APPEAL_DUE).toISOString() : null);
      expect(view.deadlines).toEqual([]);
      const audit = await auditOf(t, cast.officer, decided.id);
      expect(audit.at(-1)).toMatchObject({
        type: 'appeal-window.closed',
        actorId: 'system',
        data: { kind: 'appealWindow', outcome, transition: { from: 'decided', to: target } },
      });
      expect(recipients(await notificationsOf(t, decided.id, 'appeal-window.closed'))).toEqual([cast.cadre.id, cast.officer.id].sort());
      expect(await sweep(t)).toBe(0);
    });
  });
});

describe('a deadline that comes due while the service is stopped', () => {
  it('fires once, by the start-up sweep, after the restart', async () => {
    const t = await startQuietApp();
    const apps: NestFastifyApplication[] = [];
    const close = async (app: NestFastifyApplication) => {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    };
    try {
      const cast = await createCast(t);
      const opened = await openCase(t, cast);
      await t.app.close(); // the data directory stays

      const restart = async (at: Date) => {
        const config = loadConfig({
          NODE_ENV: 'test',
          ...t.database.env,
          ADMIN_PASSWORD,
          LOG_LEVEL: 'silent',
          SWEEP_INTERVAL_MS: String(24 * 3600 * 1000),
        });
        const app = await createApp(config, new ManualClock(at));
        apps.push(app);
        const http = () => request(app.getHttpServer());
        const login = await http().post('/auth/login').send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200);
        const admin = { Authorization: `Bearer ${(login.body as { accessToken: string }).accessToken}` };
        const view = await http().get(`/cases/${opened.id}`).set(admin).expect(200);
        const audit = await http().get(`/cases/${opened.id}/audit`).set(admin).expect(200);
        return {
          app,
          view: view.body as { state: string; version: number },
          types: (audit.body as Array<{ type: string }>).map((e) => e.type),
        };
      };

      // Restarted while the deadline has not yet passed: nothing fires.
      const early = await restart(new Date(EXPLANATION_DUE));
      expect(early.view).toMatchObject({ state: 'awaitingExplanation', version: 1 });
      expect(early.types).toEqual(['case.opened']);
      await close(early.app);

      // Restarted after it passed: the start-up sweep fires it before any request is served.
      const late = await restart(new Date('2026-01-14T02:00:00.000Z'));
      expect(late.view).toMatchObject({ state: 'underAssessment', version: 2 });
      expect(late.types).toEqual(['case.opened', 'explanation.missed']);
      await close(late.app);

      // And it never fires again, however often the service restarts.
      const again = await restart(new Date('2026-02-01T02:00:00.000Z'));
      expect(again.view).toMatchObject({ state: 'underAssessment', version: 2 });
      expect(again.types.filter((type) => type === 'explanation.missed')).toHaveLength(1);
      expect(await again.app.get(DeadlineSweeper).sweep()).toBe(0);
    } finally {
      for (const app of [...apps]) {
        await close(app);
      }
      await t.database.drop();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  });
});
