import type { EntityManager } from 'typeorm';
import { toUtcIso } from '../common/instant.js';
import { runSql } from '../database/sql.js';
import { after, type CaseFilter, type CaseScope, type CaseSort, type Dialect, orderBy, sortSpec, whereSql } from './case-filter.js';
import type { CaseFilterQuery } from './dto/case-filter.query.js';

export const dialectOf = (manager: EntityManager): Dialect => (manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite');

/** The query's filters with every instant in the UTC ISO form timestamps are stored in. */
export function toCaseFilter(query: CaseFilterQuery): CaseFilter {
  const instant = (value: string | undefined) => (value === undefined ? undefined : toUtcIso(value));
  return {
    state: query.state,
    outcome: query.outcome,
    subjectId: query.subjectId,
    category: query.category,
    overdue: query.overdue,
    q: query.q,
    openedFrom: instant(query.openedFrom),
    openedTo: instant(query.openedTo),
    decidedFrom: instant(query.decidedFrom),
    decidedTo: instant(query.decidedTo),
    occurredFrom: instant(query.occurredFrom),
    occurredTo: instant(query.occurredTo),
  };
}

/** What one list request selects: who reaches what, which filters, in which order, at which time. */
export interface CaseSelection {
  scope: CaseScope;
  filter: CaseFilter;
  sort?: CaseSort;
  now: string;
}

/**
 * Counting and paging read only the columns of idx_cases_unit_list (scope, filters, sort keys and id),
 * so both are answered from that index; the full rows are loaded for the page's ids alone.
 */
export async function countCases(manager: EntityManager, selection: CaseSelection): Promise<number> {
  const where = whereSql(selection.scope, selection.filter, selection.now, dialectOf(manager));
  const { rows } = await runSql<{ total: number | string }>(manager, `SELECT COUNT(*) AS total FROM cases WHERE ${where.sql}`, where.params);
  return Number(rows[0].total); // PostgreSQL's COUNT is a bigint, which pg returns as text
}

export async function pageOfCaseIds(manager: EntityManager, selection: CaseSelection, limit: number, offset: number): Promise<string[]> {
  const where = whereSql(selection.scope, selection.filter, selection.now, dialectOf(manager));
  const { rows } = await runSql<{ id: string }>(
    manager,
    `SELECT id FROM cases WHERE ${where.sql} ${orderBy(selection.sort)} LIMIT ? OFFSET ?`,
    [...where.params, limit, offset],
  );
  return rows.map((row) => row.id);
}

/**
 * One chunk of a keyset walk over the selection in its sort order: `columns` of the rows after `from`
 * (the last row of the previous chunk), at most `limit` of them. Unlike OFFSET, each chunk costs the same
 * however deep the walk is, and a case written meanwhile cannot shift the chunks.
 */
export async function chunkAfter<T extends { id: string }>(
  manager: EntityManager,
  selection: CaseSelection,
  columns: readonly string[],
  from: T | null,
  limit: number,
): Promise<T[]> {
  const where = whereSql(selection.scope, selection.filter, selection.now, dialectOf(manager));
  const { column } = sortSpec(selection.sort);
  const cursor = from ? after(selection.sort, { value: (from as Record<string, unknown>)[column] as string | null, id: from.id }) : null;
  const { rows } = await runSql<T>(
    manager,
    `SELECT ${[...new Set(['id', column, ...columns])].join(', ')} FROM cases WHERE ${where.sql}${cursor ? ` AND ${cursor.sql}` : ''}
     ${orderBy(selection.sort)} LIMIT ?`,
    [...where.params, ...(cursor?.params ?? []), limit],
  );
  return rows;
}
