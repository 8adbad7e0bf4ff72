import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';

import { sqliteOptions } from './data-source-options.js';
import { openDatabase } from './open-database.js';
import { sqliteConnection } from './sql.js';

describe('the SQLite connection the service opens (openDatabase)', () => {
  let dir: string;
  let dataSource: DataSource;
  const setting = (name: string) => sqliteConnection(dataSource).pragma(name, { simple: true });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-options-'));
    dataSource = await openDatabase({ ...sqliteOptions(join(dir, 'db.sqlite')), entities: [], migrations: [] });
  });

  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is durable: WAL, and every COMMIT syncs it (synchronous=FULL)', () => {
    expect(setting('journal_mode')).toBe('wal');
    expect(setting('synchronous')).toBe(2);
  });

  it('checks foreign keys and waits for a lock instead of failing at once', () => {
    expect(setting('foreign_keys')).toBe(1);
    expect(setting('busy_timeout')).toBe(5000);
  });

  it('keeps savepoint sub-journals in memory (temp_store=MEMORY) and a 32 MB page cache', () => {
    expect(setting('temp_store')).toBe(2);
    expect(setting('cache_size')).toBe(-32768);
  });

  it('rolls a savepoint back from its in-memory sub-journal', () => {
    const db = sqliteConnection(dataSource);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    db.exec('BEGIN');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('kept');
    db.exec('SAVEPOINT s');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('undone');
    db.exec('ROLLBACK TO SAVEPOINT s');
    db.exec('RELEASE SAVEPOINT s');
    db.exec('COMMIT');
    expect(db.prepare('SELECT v FROM t').pluck().all()).toEqual(['kept']);
  });
});
