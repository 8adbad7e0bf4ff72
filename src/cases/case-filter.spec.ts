import { describe, expect, it } from '@jest/globals';

import { after, bigramQuery, countsSql, ftsPhrase, likePattern, orderBy, searchCountSql, searchIndexFor, whereSql } from './case-filter.js';

const NOW = '2026-02-01T00:00:00.000Z';

describe('whereSql', () => {
  it('reaches every case for a scope part without limits, and says so with no scope term', () => {
    expect(whereSql([{}], {}, NOW, 'sqlite')).toEqual({ sql: '1 = 1', params: [] });
  });

  it('joins the parts of a scope with OR, each part’s limits with AND', () => {
    const { sql, params } = whereSql([{ unitIds: ['u1', 'u2'] }, { subjectId: 's', unitIds: ['u3'] }], { state: 'decided' }, NOW, 'sqlite');
    expect(sql).toBe('((unit_id IN (?, ?)) OR (unit_id IN (?) AND subject_id = ?)) AND state = ?');
    expect(params).toEqual(['u1', 'u2', 'u3', 's', 'decided']);
  });

  it('makes ranges half-open: from inclusive, to exclusive', () => {
    const { sql, params } = whereSql([{}], { openedFrom: 'a', openedTo: 'b', decidedTo: 'c', occurredFrom: 'd' }, NOW, 'sqlite');
    expect(sql).toBe('created_at >= ? AND created_at < ? AND decided_at < ? AND occurred_at_utc >= ?');
    expect(params).toEqual(['a', 'b', 'c', 'd']);
  });

  it('decides overdue on the earliest open deadline against now', () => {
    expect(whereSql([{}], { overdue: true }, NOW, 'sqlite')).toEqual({ sql: 'next_due_at < ?', params: [NOW] });
    expect(whereSql([{}], { overdue: false }, NOW, 'sqlite')).toEqual({ sql: '(next_due_at IS NULL OR next_due_at >= ?)', params: [NOW] });
  });

  it('searches the trigram index from three characters on SQLite, the pair index below, and scans only separators', () => {
    expect(whereSql([{}], { q: '扶贫项' }, NOW, 'sqlite').sql).toBe('rowid IN (SELECT rowid FROM cases_search WHERE cases_search MATCH ?)');
    expect(whereSql([{ unitIds: ['u'] }], { q: '扶贫项' }, NOW, 'sqlite').sql).toContain('AND +rowid IN (SELECT rowid FROM cases_search');
    expect(whereSql([{}], { q: '扶贫' }, NOW, 'sqlite')).toEqual({
      sql: 'rowid IN (SELECT rowid FROM cases_bigrams WHERE cases_bigrams MATCH ?)',
      params: ['"扶贫"'],
    });
    expect(whereSql([{ unitIds: ['u'] }], { q: '贫' }, NOW, 'sqlite')).toEqual({
      sql: 'unit_id IN (?) AND +rowid IN (SELECT rowid FROM cases_bigrams WHERE cases_bigrams MATCH ?)',
      params: ['u', '"贫" * AND (uu)'],
    });
    expect(whereSql([{}], { q: 'a,' }, NOW, 'sqlite')).toEqual({
      sql: "(title LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\')",
      params: ['%a,%', '%a,%'],
    });
  });

  it('chooses the index by what it can answer', () => {
    expect(['扶贫项目', 'abc', '扶贫', 'A1', '贫', '"', 'a b', '%', '_x'].map(searchIndexFor)).toEqual([
      'trigram',
      'trigram',
      'bigram',
      'bigram',
      'bigram',
      'scan',
      'trigram',
      'scan',
      'scan',
    ]);
    expect(bigramQuery('扶贫')).toBe('"扶贫"');
    expect(bigramQuery('X')).toBe('"X" *');
  });

  it('uses ILIKE on PostgreSQL, narrowed by the single-character and pair index below three characters', () => {
    expect(whereSql([{}], { q: 'Budget' }, NOW, 'postgres').sql).toBe("(title ILIKE ? ESCAPE '\\' OR description ILIKE ? ESCAPE '\\')");
    expect(whereSql([{}], { q: '扶贫' }, NOW, 'postgres')).toEqual({
      sql: "(case_search_grams(title, description) @> ARRAY[substr(lower(?::text), 1, 2)] AND (title ILIKE ? ESCAPE '\\' OR description ILIKE ? ESCAPE '\\'))",
      params: ['扶贫', '%扶贫%', '%扶贫%'],
    });
  });
});

describe('countsSql: which totals case_counts answers', () => {
  it('sums the counts of a scope of units, filtered by state and category', () => {
    expect(countsSql([{ unitIds: ['u1', 'u2'] }], { state: 'decided', category: 'c' })).toEqual({
      sql: 'SELECT COALESCE(SUM(cases), 0) AS total FROM case_counts WHERE unit_id IN (?, ?) AND state = ? AND category = ?',
      params: ['u1', 'u2', 'decided', 'c'],
    });
    expect(countsSql([{}], {})).toEqual({ sql: 'SELECT COALESCE(SUM(cases), 0) AS total FROM case_counts', params: [] });
  });

  it('leaves every other selection to a count of the cases', () => {
    expect(countsSql([{ unitIds: ['u1'] }, { subjectId: 's' }], {})).toBeNull();
    expect(countsSql([{ subjectId: 's' }], {})).toBeNull();
    expect(countsSql([], {})).toBeNull();
    for (const filter of [
      { outcome: 'tolerate' },
      { subjectId: 's' },
      { overdue: false },
      { q: 'abc' },
      { openedFrom: '2026-01-01T00:00:00.000Z' },
    ]) {
      expect(countsSql([{ unitIds: ['u1'] }], filter)).toBeNull();
    }
    expect(countsSql([{ unitIds: ['u1'] }], { state: undefined, q: undefined })).not.toBeNull();
  });
});

describe('search terms', () => {
  it('keeps the user’s wildcards literal', () => {
    expect(likePattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('quotes a phrase so FTS5 operators and quotes are text', () => {
    expect(ftsPhrase('a "b" OR c*')).toBe('"a ""b"" OR c*"');
  });
});

describe('order and keyset', () => {
  it('defaults to newest first with the id breaking ties', () => {
    expect(orderBy()).toBe('ORDER BY created_at DESC, id ASC');
  });

  it('puts cases without the value last in both directions', () => {
    expect(orderBy('decidedAt')).toBe('ORDER BY decided_at ASC NULLS LAST, id ASC');
    expect(orderBy('-occurredAt')).toBe('ORDER BY occurred_at_utc DESC NULLS LAST, id ASC');
  });

  it('continues after a row with a value: beyond it, its ties with a larger id, then the rows without one', () => {
    expect(after('-decidedAt', { value: 'v', id: 'i' })).toEqual({
      sql: '(decided_at < ? OR (decided_at = ? AND id > ?) OR decided_at IS NULL)',
      params: ['v', 'v', 'i'],
    });
  });

  it('continues after a row of a column every case has as one range of it, then the ties past the id', () => {
    expect(after('-createdAt', { value: 'v', id: 'i' })).toEqual({
      sql: '(created_at <= ? AND (created_at < ? OR id > ?))',
      params: ['v', 'v', 'i'],
    });
    expect(after('updatedAt', { value: 'v', id: 'i' })).toEqual({
      sql: '(updated_at >= ? AND (updated_at > ? OR id > ?))',
      params: ['v', 'v', 'i'],
    });
  });

  it('continues among the rows without a value by id', () => {
    expect(after('decidedAt', { value: null, id: 'i' })).toEqual({ sql: '(decided_at IS NULL AND id > ?)', params: ['i'] });
  });
});

describe('searchCountSql: searches counted by their index alone', () => {
  it('counts a 1–2 character search within units from the pair index, and every case’s search from either index', () => {
    expect(searchCountSql([{ unitIds: ['a-1', 'b-2'] }], { q: '资金' })).toEqual({
      sql: 'SELECT COUNT(*) AS total FROM cases_bigrams WHERE cases_bigrams MATCH ?',
      params: ['"资金" AND (ua1 OR ub2)'],
    });
    expect(searchCountSql([{}], { q: '资金' })?.params).toEqual(['"资金"']);
    expect(searchCountSql([{}], { q: '项目资金' })?.sql).toContain('FROM cases_search');
  });

  it('leaves every other selection to the cases themselves', () => {
    expect(searchCountSql([{ unitIds: ['a'] }], { q: '项目资金' })).toBeNull(); // trigram within a scope
    expect(searchCountSql([{ unitIds: ['a'], subjectId: 's' }], { q: '资金' })).toBeNull();
    expect(searchCountSql([{}], { q: '资金', state: 'closed' })).toBeNull();
    expect(searchCountSql([{}], { q: 'a,' })).toBeNull();
    expect(searchCountSql([{}], {})).toBeNull();
  });

  it('asks the index alone for the scope when told to, walking in order when told to', () => {
    expect(whereSql([{ unitIds: ['a'] }], { q: '资金' }, NOW, 'sqlite', { scopeInSearch: true, walk: true })).toEqual({
      sql: '+rowid IN (SELECT rowid FROM cases_bigrams WHERE cases_bigrams MATCH ?)',
      params: ['"资金" AND (ua)'],
    });
  });
});

describe('a search within most units', () => {
  it('excludes the few other units instead of naming every one', () => {
    expect(searchCountSql([{ unitIds: ['a', 'b', 'c'], otherUnitIds: ['d'] }], { q: '资金' })?.params).toEqual(['"资金" NOT (ud)']);
  });
});
