import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { ENGINE, TestDatabase } from './support/test-database.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const CASES = 600;

/**
 * `npm run seed:bulk` end to end, as a separate process the way a person runs it. It once exited with code 0
 * right after its template cases, having written no clones: closing its in-process app awaited a worker
 * thread that did not hold the event loop. Only a real process shows that (jest itself keeps the loop busy),
 * so the seed is compiled and started with node here, on this project's engine.
 */
describe(`seed:bulk as a process (${ENGINE})`, () => {
  let buildDir: string;
  let dataDir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    // Compiled inside the project so that the compiled files resolve node_modules; one folder per run, as
    // the SQLite and PostgreSQL projects may run this file at the same time.
    buildDir = mkdtempSync(join(ROOT, '.build-test-'));
    await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', buildDir], { cwd: ROOT });
    dataDir = mkdtempSync(join(tmpdir(), 'seed-bulk-'));
    database = await TestDatabase.create(dataDir);
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes every case it was asked for, with valid chains, and exits 0 only then', async () => {
    const target = database.env.DATABASE_URL ? ['--database-url', database.env.DATABASE_URL] : ['--database', database.env.DATABASE_PATH];
    const { stdout, stderr } = await run(
      process.execPath,
      [join(buildDir, 'scripts/seed-bulk.js'), '--cases', String(CASES), '--sample', '10', '--batch', '200', ...target],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn', NODE_OPTIONS: '' }, maxBuffer: 16 * 1024 * 1024 },
    );
    const output = stdout + stderr;
    expect(output).toMatch(/verify: 11 of 11 sampled cases valid/);
    expect(output).toContain(`DONE ${CASES} cases`);
    const { rows } = await database.query<{ count: string | number }>('SELECT COUNT(*) AS count FROM cases');
    expect(Number(rows[0].count)).toBe(CASES);
    // The 1–2 character index (migration 1769200000000) is filled for every clone: it agrees with a scan.
    for (const term of ['资金', '约', '签约']) {
      const scan = await database.query<{ count: string | number }>(
        `SELECT COUNT(*) AS count FROM cases WHERE title ${ENGINE === 'sqlite' ? 'LIKE' : 'ILIKE'} ? OR description ${ENGINE === 'sqlite' ? 'LIKE' : 'ILIKE'} ?`,
        `%${term}%`,
        `%${term}%`,
      );
      const indexed =
        ENGINE === 'sqlite'
          ? await database.query<{ count: string | number }>(
              'SELECT COUNT(*) AS count FROM cases_bigrams WHERE cases_bigrams MATCH ?',
              [...term].length === 2 ? `"${term}"` : `"${term}" *`,
            )
          : await database.query<{ count: string | number }>(
              'SELECT COUNT(*) AS count FROM cases WHERE case_search_grams(title, description) @> ARRAY[?::text]',
              term,
            );
      expect({ term, indexed: Number(indexed.rows[0].count) }).toEqual({ term, indexed: Number(scan.rows[0].count) });
      expect(Number(scan.rows[0].count)).toBeGreaterThan(0);
    }
  }, 300_000);

  it('fails loudly, with a non-zero exit and a message, when it cannot do what it was asked', async () => {
    // The database already holds cases now: without --append the seed must refuse, not end quietly.
    const target = database.env.DATABASE_URL ? ['--database-url', database.env.DATABASE_URL] : ['--database', database.env.DATABASE_PATH];
    const failure = await run(process.execPath, [join(buildDir, 'scripts/seed-bulk.js'), '--cases', '10', ...target], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
    }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/seed:bulk: .*already holds \d+ cases; pass --append/);
  }, 120_000);
});
