/**
 * The SQL of the case list's filters, sorts and keyset cursors, written once for SQLite and PostgreSQL
 * (`?` placeholders; runSql numbers them for PostgreSQL). Pure: no database, no framework, so it is
 * tested on its own. Column names are fixed strings; every value travels as a parameter.
 */
export const CASE_SORTS = [
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'occurredAt',
  '-occurredAt',
  'decidedAt',
  '-decidedAt',
] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const DEFAULT_SORT: CaseSort = '-createdAt';

export type Dialect = 'sqlite' | 'postgres';

/** One way a caller reaches cases: units (with their subtrees already expanded) and/or as the subject. */
export interface ScopePart {
  unitIds?: readonly string[];
  subjectId?: string;
  /** every other unit, when there are fewer of them (case-list.ts's plainScope): a search may exclude these instead */
  otherUnitIds?: readonly string[];
}
/** The union of the parts; `[]` reaches nothing, `[{}]` every case. */
export type CaseScope = ScopePart[];

/** The list filters with instants already in UTC ISO form (they compare as text). */
export interface CaseFilter {
  state?: string;
  outcome?: string;
  subjectId?: string;
  category?: string;
  overdue?: boolean;
  q?: string;
  openedFrom?: string;
  openedTo?: string;
  decidedFrom?: string;
  decidedTo?: string;
  occurredFrom?: string;
  occurredTo?: string;
}

export interface Sql {
  sql: string;
  params: unknown[];
}

const SORT_COLUMN = {
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  occurredAt: 'occurred_at_utc',
  decidedAt: 'decided_at',
} as const;
type SortField = keyof typeof SORT_COLUMN;

export interface SortSpec {
  column: (typeof SORT_COLUMN)[SortField];
  descending: boolean;
  nullable: boolean;
}

export function sortSpec(sort: CaseSort = DEFAULT_SORT): SortSpec {
  const descending = sort.startsWith('-');
  const column = SORT_COLUMN[(descending ? sort.slice(1) : sort) as SortField];
  return { column, descending, nullable: column === 'decided_at' || column === 'occurred_at_utc' };
}

/**
 * Cases without the value (undecided, a week-dated occurrence) come last in both directions, and the id
 * breaks ties so that pages never overlap or skip. NULLS LAST is spelled out: SQLite and PostgreSQL
 * disagree on the default.
 */
export function orderBy(sort?: CaseSort): string {
  const { column, descending, nullable } = sortSpec(sort);
  return `ORDER BY ${column} ${descending ? 'DESC' : 'ASC'}${nullable ? ' NULLS LAST' : ''}, id ASC`;
}

/** Rows strictly after `key` in `orderBy(sort)` order: the next chunk of a keyset walk (the CSV export). */
export function after(sort: CaseSort | undefined, key: { value: string | null; id: string }): Sql {
  const { column, descending, nullable } = sortSpec(sort);
  if (key.value === null) {
    return { sql: `(${column} IS NULL AND id > ?)`, params: [key.id] };
  }
  const beyond = descending ? '<' : '>';
  if (!nullable) {
    // One range on the sort column (then the ties past the id): SQLite seeks to the key in the sort's index.
    // With the OR form it walked the index from its start for every chunk, so a province's CSV export at
    // 1,000,000 cases slowed with each chunk (45 MB in 400 s).
    return { sql: `(${column} ${beyond}= ? AND (${column} ${beyond} ? OR id > ?))`, params: [key.value, key.value, key.id] };
  }
  return {
    sql: `(${column} ${beyond} ? OR (${column} = ? AND id > ?) OR ${column} IS NULL)`,
    params: [key.value, key.value, key.id],
  };
}

/** `q` as a LIKE pattern: the user's `%`, `_` and `\` are literal. */
export const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `q` as one FTS5 phrase: with the trigram tokenizer, a phrase is a substring. */
export const ftsPhrase = (q: string): string => `"${q.replace(/"/g, '""')}"`;

/** The trigram index can answer a substring of at least three characters (code points, as FTS5 counts). */
export const TRIGRAM_MIN = 3;

/**
 * Shorter terms made only of letters, digits and private-use characters — what FTS5's unicode61 tokenizer
 * keeps inside a token — are tokens of the one- and two-character index (migration 1769200000000). Any
 * other character (a space, punctuation, a symbol) is a separator there, so such a term is found by a scan.
 */
const GRAM_TERM = /^[\p{L}\p{N}\p{Co}]{1,2}$/u;

export type SearchIndex = 'trigram' | 'bigram' | 'scan';

/** Which structure answers `q` on SQLite. */
export function searchIndexFor(q: string): SearchIndex {
  if ([...q].length >= TRIGRAM_MIN) {
    return 'trigram';
  }
  return GRAM_TERM.test(q) ? 'bigram' : 'scan';
}

/**
 * `q` (one or two letters or digits) as a query of `cases_bigrams`: a pair is one token; a single
 * character is the first character of some token (every position starts one), so a prefix query.
 */
export const bigramQuery = (q: string): string => ([...q].length === 2 ? `"${q}"` : `"${q}" *`);

/**
 * The units of a scope that is units only (one part, no subject), as the tokens `cases_bigrams` keeps
 * for each case's unit ('u' and the id's hex digits), or null. A 1–2 character search within those units
 * is then one query of that index (the term AND any of the units), which returns only the scope's
 * matches: 14–29 ms to count a city's 9,000–33,000 matches at 1,000,000 cases, where walking the city's
 * 126,000 list entries and probing the matches took 156–246 ms.
 */
function unitTokens(scope: CaseScope): { tokens: string[]; except: boolean } | null {
  const [part, ...others] = scope;
  if (!part?.unitIds || part.subjectId !== undefined || others.length > 0) {
    return null;
  }
  const token = (id: string) => `u${id.replace(/-/g, '')}`;
  // A province's 190 units are every unit but one: "not that one" is the shorter question.
  return part.otherUnitIds ? { tokens: part.otherUnitIds.map(token), except: true } : { tokens: part.unitIds.map(token), except: false };
}

function search(q: string, dialect: Dialect, scoped: boolean, units: UnitTokens = null): Sql {
  const like = (op: string): Sql => ({
    sql: `(title ${op} ? ESCAPE '\\' OR description ${op} ? ESCAPE '\\')`,
    params: [likePattern(q), likePattern(q)],
  });
  if (dialect === 'postgres') {
    // pg_trgm's GIN indexes serve ILIKE from 3 characters (migration 1768000000000-reports); below, the
    // index of single characters and pairs (1769200000000) narrows and ILIKE stays the exact test. The
    // first two characters of lower(q) are a substring of lower(text) whenever ILIKE holds.
    if ([...q].length >= TRIGRAM_MIN) {
      return like('ILIKE');
    }
    const exact = like('ILIKE');
    return {
      sql: `(case_search_grams(title, description) @> ARRAY[substr(lower(?::text), 1, 2)] AND ${exact.sql})`,
      params: [q, ...exact.params],
    };
  }
  // Within a unit scope, `+rowid` keeps SQLite walking the scope's entries in idx_cases_unit_list and
  // checking each against the set of matches; left to itself it looks up every match's row, which took
  // 750 ms instead of 60 ms for a term in 83,000 of 200,000 cases. Without a scope, the matches lead.
  const rowid = scoped ? '+rowid' : 'rowid';
  switch (searchIndexFor(q)) {
    case 'trigram':
      return { sql: `${rowid} IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ?)`, params: [ftsPhrase(q)] };
    case 'bigram':
      return { sql: `${rowid} IN (SELECT rowid FROM cases_bigrams WHERE cases_bigrams MATCH ?)`, params: [bigramMatch(q, units)] };
    case 'scan':
      // A separator in a 1–2 character term: the scoped rows are read (LIKE folds ASCII case only).
      return like('LIKE');
  }
}

type UnitTokens = ReturnType<typeof unitTokens>;

const bigramMatch = (q: string, units: UnitTokens): string =>
  units ? `${bigramQuery(q)} ${units.except ? 'NOT' : 'AND'} (${units.tokens.join(' OR ')})` : bigramQuery(q);

function scopeSql(scope: CaseScope): Sql | null {
  if (scope.some((part) => !part.unitIds && !part.subjectId)) {
    return null; // one part reaches every case
  }
  const params: unknown[] = [];
  const parts = scope.map((part) => {
    const terms: string[] = [];
    if (part.otherUnitIds) {
      // Every unit but a few (case-list.ts's plainScope): "not those" lets SQLite walk an index in the
      // list's order (a province's page or CSV chunk) instead of sorting the 190 units' cases each time.
      terms.push(`unit_id NOT IN (${part.otherUnitIds.map(() => '?').join(', ')})`);
      params.push(...part.otherUnitIds);
    } else if (part.unitIds) {
      terms.push(`unit_id IN (${part.unitIds.map(() => '?').join(', ')})`);
      params.push(...part.unitIds);
    }
    if (part.subjectId) {
      terms.push('subject_id = ?');
      params.push(part.subjectId);
    }
    return terms.join(' AND ');
  });
  return { sql: parts.length === 1 ? parts[0] : `(${parts.map((p) => `(${p})`).join(' OR ')})`, params };
}

export interface SearchPlan {
  /** SQLite walks an index in the list's order and probes the matches, instead of reading every match's row */
  walk?: boolean;
  /** the scope's units are asked of the search index alone (only where searchCountSql answers the count) */
  scopeInSearch?: boolean;
}

/**
 * The WHERE clause (without the keyword) for what `scope` reaches and `filter` keeps, `now` deciding
 * what is overdue. Call only with a non-empty scope.
 */
export function whereSql(scope: CaseScope, filter: CaseFilter, now: string, dialect: Dialect, plan: SearchPlan = {}): Sql {
  const terms: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    terms.push(sql);
    params.push(...values);
  };
  const units = dialect === 'sqlite' && filter.q !== undefined && searchIndexFor(filter.q) === 'bigram' ? unitTokens(scope) : null;
  const scoped = units && plan.scopeInSearch ? null : scopeSql(scope);
  if (scoped) {
    add(scoped.sql, ...scoped.params);
  }
  const equal = [
    ['state', filter.state],
    ['outcome', filter.outcome],
    ['subject_id', filter.subjectId],
    ['category', filter.category],
  ] as const;
  for (const [column, value] of equal) {
    if (value !== undefined) {
      add(`${column} = ?`, value);
    }
  }
  const ranges = [
    ['created_at', filter.openedFrom, filter.openedTo],
    ['decided_at', filter.decidedFrom, filter.decidedTo],
    ['occurred_at_utc', filter.occurredFrom, filter.occurredTo],
  ] as const;
  for (const [column, from, to] of ranges) {
    if (from !== undefined) {
      add(`${column} >= ?`, from);
    }
    if (to !== undefined) {
      add(`${column} < ?`, to);
    }
  }
  // next_due_at: the earliest due time of the case's open deadlines (written with the case by the command that changes its deadlines).
  if (filter.overdue === true) {
    add('next_due_at < ?', now);
  } else if (filter.overdue === false) {
    add('(next_due_at IS NULL OR next_due_at >= ?)', now);
  }
  if (filter.q !== undefined) {
    // Walking a scope pays when it is a few units; with most units ("NOT IN") the matches lead.
    const walkScope = scoped !== null && !scope.some((part) => part.otherUnitIds);
    const found = search(filter.q, dialect, walkScope || plan.walk === true, units);
    add(found.sql, ...found.params);
  }
  return { sql: terms.length > 0 ? terms.join(' AND ') : '1 = 1', params };
}

/**
 * The number of matches of a search filtered by nothing else, straight from its index (SQLite), over
 * every case or, for 1–2 characters, over a scope of units: 8–21 ms for 70,000–260,000 matches among
 * 1,000,000 cases, where counting them through the cases' rows took 0.8–1.9 s. Null for any other selection.
 */
export function searchCountSql(scope: CaseScope, filter: CaseFilter): Sql | null {
  const { q, ...others } = filter;
  if (q === undefined || Object.values(others).some((value) => value !== undefined)) {
    return null;
  }
  const index = searchIndexFor(q);
  const everyCase = scopeSql(scope) === null;
  if (index === 'trigram' && everyCase) {
    return { sql: 'SELECT COUNT(*) AS total FROM cases_search WHERE cases_search MATCH ?', params: [ftsPhrase(q)] };
  }
  const units = unitTokens(scope);
  if (index === 'bigram' && (everyCase || units)) {
    return {
      sql: 'SELECT COUNT(*) AS total FROM cases_bigrams WHERE cases_bigrams MATCH ?',
      params: [bigramMatch(q, everyCase ? null : units)],
    };
  }
  return null;
}

/** The filters `case_counts` (SQLite) keeps counts by, besides the unit. */
const COUNTED_FILTERS: ReadonlySet<keyof CaseFilter> = new Set(['state', 'category']);

/**
 * The list's `total` as a sum over `case_counts` (cases per unit, state and category, kept by triggers on
 * SQLite: migration 1768700000000), or null when the selection is not one of those counts: a scope of
 * units (or every case) in one part, filtered by state and category at most. Anything else — the caller's
 * own cases as subject, a date, outcome, overdue or search filter — is counted on the cases themselves.
 */
export function countsSql(scope: CaseScope, filter: CaseFilter): Sql | null {
  const [part, ...others] = scope;
  if (!part || others.length > 0 || part.subjectId !== undefined) {
    return null;
  }
  const filtered = (Object.keys(filter) as Array<keyof CaseFilter>).filter((key) => filter[key] !== undefined);
  if (filtered.some((key) => !COUNTED_FILTERS.has(key))) {
    return null;
  }
  // case_counts has the cases' unit_id, state and category columns, so the lists' own terms apply to it.
  const scoped = scopeSql(scope);
  const terms = scoped ? [scoped.sql] : [];
  const params = scoped ? [...scoped.params] : [];
  for (const key of ['state', 'category'] as const) {
    if (filter[key] !== undefined) {
      terms.push(`${key} = ?`);
      params.push(filter[key]);
    }
  }
  const where = terms.length > 0 ? ` WHERE ${terms.join(' AND ')}` : '';
  return { sql: `SELECT COALESCE(SUM(cases), 0) AS total FROM case_counts${where}`, params };
}
