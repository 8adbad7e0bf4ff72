import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';

import { MIGRATIONS, sqliteOptions } from '../data-source-options.js';
import { openDatabase } from '../open-database.js';
import { sqliteConnection } from '../sql.js';
import { EvidenceLimits1769100000000 } from './1769100000000-evidence-limits.js';

const ADDED = ['idx_evidence_sha256', 'idx_evidence_uploader_at'];

describe('migration 1769100000000: the evidence indexes of the limits and the sweep', () => {
  let dir: string;
  let dataSource: DataSource;
  const evidenceIndexes = () =>
    sqliteConnection(dataSource)
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evidence' ORDER BY name")
      .pluck()
      .all();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evidence-limits-'));
    const upToThis = MIGRATIONS.slice(0, MIGRATIONS.indexOf(EvidenceLimits1769100000000) + 1);
    dataSource = await openDatabase({ ...sqliteOptions(join(dir, 'db.sqlite')), entities: [], migrations: upToThis });
  });

  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds them, and takes them away again when reverted', async () => {
    expect(evidenceIndexes()).toEqual(expect.arrayContaining(ADDED));
    await dataSource.undoLastMigration();
    expect(evidenceIndexes().filter((name) => ADDED.includes(name as string))).toEqual([]);
    await dataSource.runMigrations();
    expect(evidenceIndexes()).toEqual(expect.arrayContaining(ADDED));
  });

  it('the hourly count of one uploader is a range of its index', () => {
    const plan = sqliteConnection(dataSource)
      .prepare('EXPLAIN QUERY PLAN SELECT COUNT(*), SUM(size), MIN(at) FROM evidence WHERE uploaded_by = ? AND at > ?')
      .all('u', '2026-01-01') as Array<{ detail: string }>;
    expect(plan.map((row) => row.detail).join('\n')).toContain('idx_evidence_uploader_at');
  });
});
