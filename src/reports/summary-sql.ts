import type { ReadStatement } from '../database/read-pool.js';

/* The SQL of the summary's reads (GET /reports/summary), pure text: repositories/case-reads.repository.ts runs it. */

/** Every column the report groups by, in the order of idx_cases_summary, so no case row is read. */
const GROUP_COLUMNS = 'unit_id, category, outcome, recommended_outcome, overridden, intent, motive, nature, appealed, appeal_decision';

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
export function nowSql(
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
