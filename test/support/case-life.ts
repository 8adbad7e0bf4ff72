import { runSql } from '../../src/database/sql.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { DeadlineSweeper } from '../../src/deadlines/deadline-sweeper.js';
import { caseAwaitingReview, type CaseBody, type Cast } from './case-actors.js';
import { auth, TestApp, type TestUser, TOLERABLE_ASSESSMENT } from './test-app.js';

/**
 * Helpers for the e2e tests of a case's life after opening: moved clock, deadline sweeps, notifications.
 *
 * Time: the ManualClock starts on Monday 2026-01-05T09:00Z = 17:00 in Asia/Shanghai. Under the default
 * policy (working days, no local holidays) a period of N days ends at the end (23:59:59.999 local = 15:59:59.999Z)
 * of the N-th working day after the start day, working days being those of the official calendar
 * (config/calendar/cn-official.json: Monday–Friday except holidays, plus make-up working days such as
 * Sat 14 Feb 2026). The constants below are counted by hand from that rule.
 */
export const START = new Date('2026-01-05T09:00:00.000Z');
/** explanation P5D from Mon 5 Jan: Tue 6 … Mon 12 */
export const EXPLANATION_DUE = '2026-01-12T15:59:59.999Z';
/** review P10D from Mon 5 Jan: Tue 6 … Mon 19 */
export const REVIEW_DUE = '2026-01-19T15:59:59.999Z';
/** appealWindow P15D from Mon 5 Jan: Tue 6 … Mon 26 */
export const APPEAL_DUE = '2026-01-26T15:59:59.999Z';
/**
 * correction P30D from Mon 5 Jan: 29 working days through Fri 13 Feb, then the 30th is Sat 14 Feb, a make-up
 * working day before the Spring Festival (Monday–Friday alone would give Mon 16 Feb, a day of the holiday).
 */
export const CORRECTION_DUE = '2026-02-14T15:59:59.999Z';

export const justAfter = (iso: string): Date => new Date(new Date(iso).getTime() + 1);

/** A test app whose background sweep never runs on its own: each test sweeps when it means to. */
export function startQuietApp(): Promise<TestApp> {
  return TestApp.start({ SWEEP_INTERVAL_MS: String(24 * 3600 * 1000) });
}

export const sweep = (t: TestApp): Promise<number> => t.app.get(DeadlineSweeper).sweep();

export const CORRECT_ASSESSMENT = {
  ...TOLERABLE_ASSESSMENT,
  conditions: { ...TOLERABLE_ASSESSMENT.conditions, remedied: false },
} as const;
export const ACCOUNTABLE_ASSESSMENT = { ...TOLERABLE_ASSESSMENT, intent: 'intentional' } as const;

export const ASSESSMENT_FOR = {
  tolerate: TOLERABLE_ASSESSMENT,
  correct: CORRECT_ASSESSMENT,
  'hold-accountable': ACCOUNTABLE_ASSESSMENT,
} as const;
export type OutcomeName = keyof typeof ASSESSMENT_FOR;

/** Opens a case and carries it to `decided` with the recommended `outcome`, approved by `cast.leader`. */
export async function decidedCase(t: TestApp, cast: Cast, outcome: OutcomeName): Promise<CaseBody> {
  const pending = await caseAwaitingReview(t, cast, ASSESSMENT_FOR[outcome]);
  const decided = await t.http.post(`/cases/${pending.id}/review`).set(auth(cast.leader)).send({ decision: 'approve' }).expect(200);
  const body = decided.body as CaseBody;
  if (body.state !== 'decided' || body.outcome !== outcome) {
    throw new Error(`fixture: expected a case decided ${outcome}, got ${body.state} ${String(body.outcome)}`);
  }
  return body;
}

export async function caseView(t: TestApp, viewer: TestUser, caseId: string): Promise<CaseBody> {
  return (await t.http.get(`/cases/${caseId}`).set(auth(viewer)).expect(200)).body as CaseBody;
}

export interface AuditEntry {
  seq: number;
  type: string;
  actorId: string;
  actorRole: string;
  at: string;
  data: Record<string, unknown>;
  hash: string;
}

export async function auditOf(t: TestApp, viewer: TestUser, caseId: string): Promise<AuditEntry[]> {
  return (await t.http.get(`/cases/${caseId}/audit`).set(auth(viewer)).expect(200)).body as AuditEntry[];
}

export interface NotificationRow {
  user_id: string;
  kind: string;
  message: string;
  created_at: string;
}

/**
 * The notifications written for a case, straight from the outbox table. Read through the unit of work,
 * so the query never interleaves with a command's transaction.
 */
export function notificationsOf(t: TestApp, caseId: string, kind?: string): Promise<NotificationRow[]> {
  return t.app.get(UnitOfWork).run(async (manager) => {
    const { rows } = await runSql<NotificationRow>(
      manager,
      `SELECT user_id, kind, message, created_at FROM notifications WHERE case_id = ? ${kind ? 'AND kind = ?' : ''} ORDER BY created_at, user_id`,
      kind ? [caseId, kind] : [caseId],
    );
    return rows;
  });
}

/**
 * Cases whose `next_due_at` is not the earliest due time of their open deadlines (none when the commands
 * keep it right): `overdue` lists and the reports read that column instead of the deadlines.
 */
export function nextDueMismatches(t: TestApp): Promise<Array<{ id: string; next_due_at: string | null; earliest: string | null }>> {
  return t.app.get(UnitOfWork).run(async (manager) => {
    const { rows } = await runSql<{ id: string; next_due_at: string | null; earliest: string | null }>(
      manager,
      `SELECT id, next_due_at, earliest FROM (
         SELECT c.id, c.next_due_at, (SELECT MIN(d.due_at) FROM deadlines d WHERE d.case_id = c.id AND d.status = 'open') AS earliest
         FROM cases c) checked
       WHERE next_due_at IS DISTINCT FROM earliest`,
    );
    return rows;
  });
}

/**
 * SQLite: (unit, state, category) keys where `case_counts` differs from counting the cases (none when its
 * triggers keep it right; list totals read it). PostgreSQL keeps no such table: nothing to compare.
 */
export function caseCountMismatches(
  t: TestApp,
): Promise<Array<{ unit_id: string; state: string; category: string; kept: number; actual: number }>> {
  return t.app.get(UnitOfWork).run(async (manager) => {
    if (manager.connection.options.type !== 'better-sqlite3') {
      return [];
    }
    const { rows } = await runSql<{ unit_id: string; state: string; category: string; kept: number; actual: number }>(
      manager,
      `SELECT unit_id, state, category, SUM(kept) AS kept, SUM(actual) AS actual FROM (
         SELECT unit_id, state, category, cases AS kept, 0 AS actual FROM case_counts
         UNION ALL SELECT unit_id, state, category, 0, 1 FROM cases) both_sides
       GROUP BY unit_id, state, category HAVING SUM(kept) <> SUM(actual)`,
    );
    return rows;
  });
}

export const recipients = (rows: NotificationRow[]): string[] => [...new Set(rows.map((row) => row.user_id))].sort();

/** Every case command, in the order allowed-actions lists them (kept literal: a new command must be added here). */
export const ALL_ACTIONS = [
  'explanation',
  'assessment',
  'review',
  'withdraw',
  'appeal',
  'appeal-review',
  'corrective-actions',
  'corrective-action-report',
  'corrective-action-verify',
  'evidence',
];
