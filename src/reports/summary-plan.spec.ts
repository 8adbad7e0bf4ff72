import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';

import { sqliteOptions } from '../database/data-source-options.js';
import { openDatabase } from '../database/open-database.js';
import { sqliteConnection } from '../database/sql.js';
import { periodSql } from './summary-sql.js';

/**
 * The summary's period reads must stay inside idx_cases_summary: should the SQL's expression drift from
 * the one the migration indexed, SQLite would quietly read every case row instead (543 ms for a city at
 * 1,000,000 cases, against 35).
 */
describe('the summary reads on SQLite, through the real migrations', () => {
  let dir: string;
  let dataSource: DataSource;
  const plan = (sql: string, params: unknown[]) =>
    sqliteConnection(dataSource)
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => (row as { detail: string }).detail);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'summary-plan-'));
    dataSource = await openDatabase(sqliteOptions(join(dir, 'db.sqlite')));
  });

  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const scoped = { where: 'unit_id IN (?, ?) AND created_at >= ? AND created_at < ?', params: ['u1', 'u2', '2026-01-01', '2027-01-01'] };

  it('reads the days to decision from the index alone', () => {
    expect(plan(periodSql('sqlite', scoped.where).decisionMs, scoped.params)).toEqual([
      'SEARCH cases USING COVERING INDEX idx_cases_summary (unit_id=?)',
    ]);
  });

  it('groups the cases in index order, without sorting them first', () => {
    const steps = plan(periodSql('sqlite', scoped.where).groups, scoped.params);
    expect(steps).toEqual([expect.stringContaining('USING INDEX idx_cases_summary (unit_id=?)')]);
    expect(steps.join(' ')).not.toContain('TEMP B-TREE');
  });

  it('does the same for every unit (an admin without unitId)', () => {
    const steps = plan(periodSql('sqlite', '1 = 1').groups, []);
    expect(steps.join(' ')).toContain('idx_cases_summary');
    expect(steps.join(' ')).not.toContain('TEMP B-TREE');
    expect(plan(periodSql('sqlite', '1 = 1').decisionMs, [])).toEqual(['SCAN cases USING COVERING INDEX idx_cases_summary']);
  });
});
