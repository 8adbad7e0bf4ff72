import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';

import { DomainError } from '../common/domain-error.js';
import { loadConfig } from '../config/app-config.js';
import { sqliteOptions } from './data-source-options.js';
import { ReadPool } from './read-pool.js';
import { sqliteConnection } from './sql.js';
import { UnitOfWork } from './unit-of-work.js';

/** Counts to n in SQLite itself: a read that keeps its thread busy for a long time (about a second per 10 M here). */
const COUNT_TO = (n: number) => ({
  sql: `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT COUNT(*) AS n FROM c`,
  params: [n],
});

describe('ReadPool: reads on reader threads, within a budget', () => {
  let dir: string;
  let dataSource: DataSource;
  let pool: ReadPool;
  const connection = () => sqliteConnection(dataSource);

  const start = (budgetMs: number, workers = 2) => {
    const started = new ReadPool(
      dataSource,
      new UnitOfWork(dataSource),
      loadConfig({ READ_BUDGET_MS: String(budgetMs), READ_WORKERS: String(workers) }),
    );
    started.onApplicationBootstrap();
    return started;
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'read-pool-'));
    dataSource = await new DataSource({ ...sqliteOptions(join(dir, 'db.sqlite')), entities: [], migrations: [] }).initialize();
    connection().exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL); INSERT INTO rows (payload) VALUES ('a'), ('b')");
  });

  afterEach(async () => {
    await pool.beforeApplicationShutdown();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads several statements against one snapshot, binding booleans as SQLite does', async () => {
    pool = start(10_000);
    const [rows, flags] = await pool.query([
      { sql: 'SELECT id, payload FROM rows WHERE id > ? ORDER BY id', params: [0] },
      { sql: 'SELECT ? AS yes, ? AS no', params: [true, false] },
    ]);
    expect(rows).toEqual([
      { id: 1, payload: 'a' },
      { id: 2, payload: 'b' },
    ]);
    expect(flags).toEqual([{ yes: 1, no: 0 }]);
  });

  it('sees what the writer committed, and is refused writing', async () => {
    pool = start(10_000);
    connection().exec("INSERT INTO rows (payload) VALUES ('c')");
    expect(await pool.query([{ sql: 'SELECT COUNT(*) AS n FROM rows', params: [] }])).toEqual([[{ n: 3 }]]);
    await expect(pool.query([{ sql: "INSERT INTO rows (payload) VALUES ('x') RETURNING id", params: [] }])).rejects.toThrow(/readonly/);
  });

  it('stops a running read past its budget with a 503 and keeps serving the others', async () => {
    pool = start(500);
    const refused = await pool.query([COUNT_TO(20_000_000)]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('500 ms') });
    // The other slot still reads; the stopped thread's slot frees when it ends.
    expect(await pool.query([{ sql: 'SELECT COUNT(*) AS n FROM rows', params: [] }])).toEqual([[{ n: 2 }]]);
  });
});
