import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import type { DataSource } from 'typeorm';

import { sqliteOptions } from './data-source-options.js';
import { openDatabase } from './open-database.js';
import { runSql } from './sql.js';
import { UnitOfWork } from './unit-of-work.js';

// SQLite only: on PostgreSQL every unit of work is a transaction of its own (test/concurrency.e2e-spec.ts
// covers what both engines share).
describe('UnitOfWork on SQLite: group commit', () => {
  let dir: string;
  let dataSource: DataSource;
  let uow: UnitOfWork;
  let observer: Database.Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unit-of-work-'));
    const path = join(dir, 'db.sqlite');
    dataSource = await openDatabase({ ...sqliteOptions(path), entities: [], migrations: [] });
    await dataSource.query('CREATE TABLE marks (name TEXT NOT NULL)');
    uow = new UnitOfWork(dataSource);
    // Another connection sees only what was committed.
    observer = new Database(path, { readonly: true });
  });

  afterAll(async () => {
    observer.close();
    await uow.beforeApplicationShutdown();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const committed = () => observer.prepare('SELECT name FROM marks ORDER BY name').pluck().all();
  const mark = (name: string) => uow.run((manager) => runSql(manager, 'INSERT INTO marks (name) VALUES (?)', [name]));
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('work queued over successive turns of the event loop shares one commit', async () => {
    const first = mark('a');
    await nextTurn();
    const second = mark('b');
    await nextTurn();
    // With the first two in its batch, their rows are not committed while the third runs; had the first
    // been committed on its own, its row would be visible here.
    const seenDuringBatch = uow.run(() => Promise.resolve(committed()));
    await Promise.all([first, second]);
    expect(await seenDuringBatch).toEqual([]);
    expect(committed()).toEqual(['a', 'b']);
  });

  it('a caller is answered only after the commit', async () => {
    await mark('c');
    expect(committed()).toContain('c');
  });

  it('runs each job in its own caller’s async context, though the batch runs from the first caller’s', async () => {
    // The Idempotency-Key of a request is read from AsyncLocalStorage inside its command's work.
    const context = new AsyncLocalStorage<string>();
    const seen = await Promise.all(
      ['first', 'second', 'third'].map((name) => context.run(name, () => uow.run(() => Promise.resolve(context.getStore())))),
    );
    expect(seen).toEqual(['first', 'second', 'third']);
  });
});
