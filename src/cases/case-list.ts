import type { EntityManager } from 'typeorm';

import { toUtcIso } from '../common/instant.js';
import { UnitsRepository } from '../repositories/units.repository.js';
import {
  after,
  type CaseFilter,
  type CaseScope,
  type CaseSort,
  countsSql,
  type Dialect,
  orderBy,
  searchCountSql,
  sortSpec,
  type Sql,
  whereSql,
} from './case-filter.js';
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

/**
 * The scope of a list or export as SQL should see it: units that are every unit of the service reach
 * every case (each case's unit is a unit), so they are no condition at all. A province leader's 190
 * units, spelled out, made SQLite read the whole list index and probe each entry (a 2-character search:
 * ~1 s at 1,000,000 cases) where every case is reached anyway; without them the search index or the
 * opening-time index leads. When the other units are fewer, they are named too (`otherUnitIds`), so that
 * a search can exclude them rather than include every unit of the scope.
 */
export async function plainScope(manager: EntityManager, scope: CaseScope): Promise<CaseScope> {
  const [part, ...others] = scope;
  if (!part?.unitIds || part.subjectId !== undefined || others.length > 0) {
    return scope;
  }
  const inside = new Set(part.unitIds);
  const outside = (await UnitsRepository.allIds(manager)).filter((id) => !inside.has(id));
  if (outside.length === 0) {
    return [{}];
  }
  return outside.length < inside.size ? [{ ...part, otherUnitIds: outside }] : scope;
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
 * so both are answered from that index; the full rows are loaded for the page's ids alone. On SQLite the
 * common totals (units, state, category) are sums of `case_counts` instead. These build the SQL; it runs
 * on a reader (database/read-pool.ts), off the request thread.
 */
export function countQuery(selection: CaseSelection, dialect: Dialect): Sql {
  // On SQLite, a scope of units filtered by state and category at most is a sum of kept counts, and a
  // search over every case the size of its matches.
  const counted =
    dialect === 'sqlite' ? (countsSql(selection.scope, selection.filter) ?? searchCountSql(selection.scope, selection.filter)) : null;
  if (counted) {
    return counted;
  }
  const where = whereSql(selection.scope, selection.filter, selection.now, dialect);
  return { sql: `SELECT COUNT(*) AS total FROM cases WHERE ${where.sql}`, params: where.params };
}

/** Past this many matches a search over every case walks the opening-time index to its page (below). */
const WALK_MIN_MATCHES = 5000;

/**
 * `total`: how many match. A search over every case in opening order reads its page by walking
 * idx_cases_created and probing the matches once they are many (20 of 264,000 matches are found within
 * the first hundred entries), and by reading the matches' rows when they are few (walking a million entries
 * for ten matches would be the slower way).
 */
export function pageQuery(selection: CaseSelection, limit: number, offset: number, dialect: Dialect, total = 0): Sql {
  const merged = mergedPage(selection, limit, offset, dialect);
  if (merged) {
    return merged;
  }
  // Only for the searches whose count came from their index (searchCountSql): q and a scope of units at most.
  const counted = dialect === 'sqlite' && searchCountSql(selection.scope, selection.filter) !== null;
  const walk = counted && total >= WALK_MIN_MATCHES && offset + limit <= MERGE_MAX_ROWS && sortSpec(selection.sort).column === 'created_at';
  const where = whereSql(selection.scope, selection.filter, selection.now, dialect, { walk, scopeInSearch: counted });
  return {
    sql: `SELECT id FROM cases WHERE ${where.sql} ${orderBy(selection.sort)} LIMIT ? OFFSET ?`,
    params: [...where.params, limit, offset],
  };
}

/** Past these, one sort over the whole scope is as cheap (and SQLite allows at most 500 compound terms). */
const MERGE_MAX_UNITS = 64;
const MERGE_MAX_ROWS = 1000;

/**
 * A page in opening order over several units, as a merge of each unit's first rows: every unit is one
 * ordered range of idx_cases_unit_list (unit_id, created_at, id), read only as far as the page reaches,
 * instead of sorting the whole scope. Measured on 1,000,000 cases, a county of 26 units and 32,000 cases:
 * 12 ms → 1.2 ms for page 3. Only where it pays: opening order, units only, no search, shallow pages.
 */
function mergedPage(selection: CaseSelection, limit: number, offset: number, dialect: Dialect): Sql | null {
  const [part, ...others] = selection.scope;
  const units = part?.unitIds;
  const end = offset + limit;
  if (
    !units ||
    part.subjectId ||
    others.length > 0 ||
    selection.filter.q !== undefined ||
    sortSpec(selection.sort).column !== 'created_at'
  ) {
    return null;
  }
  if (units.length < 2 || units.length > MERGE_MAX_UNITS || end > MERGE_MAX_ROWS) {
    return null;
  }
  const params: unknown[] = [];
  const branches = units.map((unit, i) => {
    const where = whereSql([{ unitIds: [unit] }], selection.filter, selection.now, dialect);
    params.push(...where.params, end);
    return `SELECT * FROM (SELECT id, created_at FROM cases WHERE ${where.sql} ${orderBy(selection.sort)} LIMIT ?) AS unit_${i}`;
  });
  return { sql: `${branches.join(' UNION ALL ')} ${orderBy(selection.sort)} LIMIT ? OFFSET ?`, params: [...params, limit, offset] };
}

/**
 * One chunk of a keyset walk over the selection in its sort order: `columns` of the rows after `from`
 * (the last row of the previous chunk), at most `limit` of them. Unlike OFFSET, each chunk costs the same
 * however deep the walk is, and a case written meanwhile cannot shift the chunks.
 */
export function chunkQuery(
  selection: CaseSelection,
  columns: readonly string[],
  from: Record<string, unknown> | null,
  limit: number,
  dialect: Dialect,
): Sql {
  const where = whereSql(selection.scope, selection.filter, selection.now, dialect);
  const { column } = sortSpec(selection.sort);
  const cursor = from ? after(selection.sort, { value: from[column] as string | null, id: String(from.id) }) : null;
  return {
    sql: `SELECT ${[...new Set(['id', column, ...columns])].join(', ')} FROM cases WHERE ${where.sql}${cursor ? ` AND ${cursor.sql}` : ''}
     ${orderBy(selection.sort)} LIMIT ?`,
    params: [...where.params, ...(cursor?.params ?? []), limit],
  };
}
