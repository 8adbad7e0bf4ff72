import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';

import { MIGRATIONS, sqliteOptions } from '../data-source-options.js';
import { openDatabase } from '../open-database.js';
import { sqliteConnection } from '../sql.js';
import { SqliteStateIndexes1768800000000 } from './1768800000000-sqlite-state-indexes.js';

const RETIRED = ['idx_cases_decided', 'idx_cases_state_outcome', 'idx_cases_unit_state'];

describe('migration 1768800000000 (SQLite): the state indexes nothing reads any more', () => {
  let dir: string;
  let dataSource: DataSource;
  const caseIndexes = () =>
    sqliteConnection(dataSource)
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' ORDER BY name")
      .pluck()
      .all();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'state-indexes-'));
    // Up to this migration only, so that undoing the last one undoes this one whatever comes after it.
    const upToThis = MIGRATIONS.slice(0, MIGRATIONS.indexOf(SqliteStateIndexes1768800000000) + 1);
    dataSource = await openDatabase({ ...sqliteOptions(join(dir, 'db.sqlite')), entities: [], migrations: upToThis });
  });

  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops them, keeping the ones lists, reports and deadlines read', () => {
    const names = caseIndexes();
    expect(names).toEqual(
      expect.arrayContaining(['idx_cases_unit_list', 'idx_cases_summary', 'idx_cases_next_due', 'idx_cases_tolerated']),
    );
    expect(names.filter((name) => RETIRED.includes(name as string))).toEqual([]);
  });

  it('gives them back when reverted', async () => {
    await dataSource.undoLastMigration();
    expect(caseIndexes()).toEqual(expect.arrayContaining(RETIRED));
    await dataSource.runMigrations();
    expect(caseIndexes().filter((name) => RETIRED.includes(name as string))).toEqual([]);
  });
});
