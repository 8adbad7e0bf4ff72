import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { toUtcIso } from '../common/instant.js';
import { ReadPool, type ReadStatement } from '../database/read-pool.js';
import { runSql, toBoolean } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { DirectoryService } from '../users/directory.service.js';
import type { CaseState } from '../workflow/case-machine.js';
import type { Outcome } from '../workflow/case-types.js';
import type { DeadlineKind } from '../workflow/deadline-plan.js';
import type { SummaryQuery } from './dto/summary.query.js';
import { type CaseGroup, summarise, type SummaryFigures } from './summary.js';

export interface SummaryReport extends SummaryFigures {
  period: { from: string | null; to: string | null; on: 'createdAt' };
  unitId: string | null;
  at: string;
}

/** Every column the report groups by, in the order of idx_cases_summary, so no case row is read. */
const GROUP_COLUMNS = 'unit_id, category, outcome, recommended_outcome, overridden, intent, motive, nature, appealed, appeal_decision';

/**
 * The leadership report (GET /reports/summary). Period figures cover the cases opened in [from, to);
 * "open" and "overdue" are figures of now, over every case of the units whenever it was opened.
 */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(ReadPool) private readonly reads: ReadPool,
  ) {}

  /**
   * The units are settled on the request thread (a few lookups), the figures read together on a reader
   * (database/read-pool.ts: one snapshot, off the request thread, within the read budget).
   */
  async summary(actor: AuthUser, query: SummaryQuery, now: Date): Promise<SummaryReport> {
    const from = query.from === undefined ? null : toUtcIso(query.from);
    const to = query.to === undefined ? null : toUtcIso(query.to);
    if (from !== null && to !== null && to <= from) {
      throw DomainError.validation([{ field: 'to', message: 'must be after from' }]);
    }
    const at = now.toISOString();
    const units = await this.uow.read((manager) => this.reportUnits(manager, actor, query.unitId));
    const scope = units === null ? { sql: '', params: [] } : { sql: `unit_id IN (${units.map(() => '?').join(', ')}) AND `, params: units };
    const bounds = [...(from === null ? [] : [['>=', from]]), ...(to === null ? [] : [['<', to]])];
    const period = {
      sql: `${scope.sql}${bounds.map(([op]) => `created_at ${op} ?`).join(' AND ') || '1 = 1'}`,
      params: [...scope.params, ...bounds.map(([, value]) => value)],
    };
    const engine = this.reads.dialect;
    const sql = periodSql(engine, period.sql);
    const current = nowSql(engine, scope, units === null, at);
    const [grouped, decisionMs, open, overdue] = await this.reads.query([
      { sql: sql.groups, params: period.params },
      { sql: sql.decisionMs, params: period.params },
      current.open,
      current.overdue,
    ]);
    const groups = grouped.map(toGroup);
    const names = await this.uow.read((manager) => unitNames(manager, [...new Set(groups.map((g) => g.unitId))]));
    const figures = summarise({
      groups,
      // pg returns the rounded numeric as text; better-sqlite3 gives integers already.
      decisionMs: decisionMs.map((row) => Number(row.ms)),
      unitNames: names,
      openByState: Object.fromEntries(open.filter((r) => Number(r.cases) > 0).map((r) => [r.state as CaseState, Number(r.cases)])),
      overdueByKind: Object.fromEntries(
        overdue.flatMap((r): Array<[DeadlineKind, number]> => (r.kind === null ? [] : [[r.kind as DeadlineKind, Number(r.n)]])),
      ),
      overdueCases: Number(overdue.find((r) => r.kind === null)?.n ?? 0),
    });
    return { period: { from, to, on: 'createdAt' as const }, unitId: query.unitId ?? null, at, ...figures };
  }

  /**
   * The units a report covers: null for every unit (an admin without unitId). A leader reports on their
   * unit or one below it; anything else, known or not, is a 403 — an empty report would read as "no
   * cases" and a 404 would tell which unit ids exist.
   */
  private async reportUnits(manager: EntityManager, actor: AuthUser, unitId: string | undefined): Promise<string[] | null> {
    if (actor.roles.includes('admin')) {
      if (unitId === undefined) {
        return null;
      }
      const units = await DirectoryService.subtreeUnitIds(manager, unitId);
      if (units.length === 0) {
        throw DomainError.ruleViolation([{ field: 'unitId', message: 'no such unit' }]);
      }
      return units;
    }
    const mine = await DirectoryService.subtreeUnitIds(manager, actor.unitId);
    if (unitId === undefined) {
      return mine;
    }
    if (!mine.includes(unitId)) {
      throw DomainError.forbidden('unitId: not your unit or a unit below it', 'SCOPE');
    }
    return DirectoryService.subtreeUnitIds(manager, unitId);
  }
}

/**
 * The two reads of the period's cases (`where`: scope and bounds). Both come from idx_cases_summary alone
 * (migration 1768500000000), where the groups stream out in order; SQLite is held to that index, as the
 * list index covers these columns too but would have to sort them (summary-plan.spec.ts).
 */
export function periodSql(engine: 'postgres' | 'sqlite', where: string): { groups: string; decisionMs: string } {
  const cases = engine === 'sqlite' ? 'cases INDEXED BY idx_cases_summary' : 'cases';
  // Each decided case's time to decision in whole milliseconds (what Date.parse would give). On SQLite the
  // index holds this very expression, so no case's instants are parsed: 107,235 values (a city over three
  // years) in 35 ms, where computing them took 160–240 ms and parsing them in JavaScript 420–620 ms.
  // `(… IS NOT NULL) = 1` names the index's own expression, which keeps the read inside the index.
  const decided = engine === 'sqlite' ? '(decided_at IS NOT NULL) = 1' : 'decided_at IS NOT NULL';
  return {
    groups: `SELECT ${GROUP_COLUMNS}, decided_at IS NOT NULL AS decided, COUNT(*) AS cases FROM ${cases} WHERE ${where}
      GROUP BY ${GROUP_COLUMNS}, decided_at IS NOT NULL`,
    decisionMs: `SELECT ${msBetween('created_at', 'decided_at', engine)} AS ms FROM ${cases} WHERE ${where} AND ${decided}`,
  };
}

/**
 * The two reads of the figures of now over the scope (`scope.sql`: empty, or a unit condition followed by
 * AND): open cases by state, and overdue deadlines by kind with the cases that have one.
 */
function nowSql(
  engine: 'postgres' | 'sqlite',
  scope: { sql: string; params: unknown[] },
  everyUnit: boolean,
  at: string,
): { open: ReadStatement; overdue: ReadStatement } {
  // SQLite keeps these counts (case_counts, migration 1768700000000): a few rows per unit instead of
  // sorting a city's 126,066 cases by state (25 ms at 1,000,000).
  const counted = engine === 'postgres' ? 'COUNT(*) AS cases FROM cases' : 'SUM(cases) AS cases FROM case_counts';
  return {
    open: { sql: `SELECT state, ${counted} WHERE ${scope.sql}state NOT IN ('closed', 'withdrawn') GROUP BY state`, params: scope.params },
    // One read of the scope's cases for both overdue figures: next_due_at (the earliest open deadline) finds
    // the cases with something overdue, then their open deadlines past due are counted by kind (a null kind
    // carries the number of cases). For every unit, the open deadlines alone answer.
    overdue: {
      sql: `WITH overdue AS MATERIALIZED (SELECT id FROM cases WHERE ${scope.sql}next_due_at < ?)
     SELECT NULL AS kind, COUNT(*) AS n FROM overdue
     UNION ALL
     SELECT kind, COUNT(*) AS n FROM deadlines WHERE status = 'open' AND due_at < ?${everyUnit ? '' : ' AND case_id IN (SELECT id FROM overdue)'}
     GROUP BY kind`,
      params: [...scope.params, at, at],
    },
  };
}

export async function unitNames(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) {
    return new Map();
  }
  const { rows } = await runSql<{ id: string; name: string }>(
    manager,
    `SELECT id, name FROM units WHERE id IN (${ids.map(() => '?').join(', ')})`,
    [...ids],
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

/**
 * SQL for the whole milliseconds between two ISO-instant columns. SQLite's julianday() is exact to
 * ~50 µs at today's dates, so rounding to the millisecond gives exactly what subtracting Date.parse
 * values does (ms-between.spec.ts).
 */
export function msBetween(from: string, to: string, engine: 'postgres' | 'sqlite'): string {
  return engine === 'postgres'
    ? `ROUND(EXTRACT(EPOCH FROM (${to}::timestamptz - ${from}::timestamptz)) * 1000)`
    : `CAST(ROUND((julianday(${to}) - julianday(${from})) * 86400000) AS INTEGER)`;
}

const orNull = <T>(value: unknown): T | null => (value === null || value === undefined ? null : (value as T));

function toGroup(row: Record<string, unknown>): CaseGroup {
  return {
    unitId: row.unit_id as string,
    category: row.category as string,
    outcome: orNull<Outcome>(row.outcome),
    recommendedOutcome: orNull<Outcome>(row.recommended_outcome),
    overridden: toBoolean(row.overridden),
    intent: orNull<string>(row.intent),
    motive: orNull<string>(row.motive),
    nature: orNull<string>(row.nature),
    appealed: toBoolean(row.appealed),
    appealDecision: orNull<'uphold' | 'revise'>(row.appeal_decision),
    decided: toBoolean(row.decided),
    cases: Number(row.cases),
  };
}
