import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';

import { sqliteOptions } from './data-source-options.js';
import { sqliteConnection } from './sql.js';
import { WalCheckpointer } from './wal-checkpointer.js';

describe('WalCheckpointer: WAL checkpoints on a worker thread, not on the request thread', () => {
  let dir: string;
  let dataSource: DataSource;
  let checkpointer: WalCheckpointer;
  const connection = () => sqliteConnection(dataSource);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
    dataSource = await new DataSource({ ...sqliteOptions(join(dir, 'db.sqlite')), entities: [], migrations: [] }).initialize();
    connection().exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
    checkpointer = new WalCheckpointer(dataSource);
    checkpointer.onApplicationBootstrap();
  });

  afterEach(async () => {
    await checkpointer.beforeApplicationShutdown();
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the request thread only a rare catch-up: its auto-checkpoint waits for a 4,000-page WAL instead of 1,000', () => {
    expect(connection().pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
  });

  it('copies every committed frame into the database file when it checkpoints, and the WAL is then reused', async () => {
    const insert = connection().prepare('INSERT INTO rows (payload) VALUES (?)');
    for (let i = 0; i < 1500; i++) {
      insert.run('x'.repeat(500)); // one durable commit each: far past the 1,000 pages of an auto-checkpoint
    }
    const result = await checkpointer.checkpointNow();
    expect(result).toEqual({ log: expect.any(Number), checkpointed: expect.any(Number) });
    const { log, checkpointed } = result as { log: number; checkpointed: number };
    // (The worker's own timer may have checkpointed part of the run already; what is left is copied now.)
    expect(log).toBeGreaterThan(0);
    expect(checkpointed).toBe(log);
    // Fully checkpointed: the next commits write from the start of the WAL instead of growing it.
    const walBytes = statSync(join(dir, 'db.sqlite-wal')).size;
    for (let i = 0; i < 100; i++) {
      insert.run('y'.repeat(500));
    }
    expect(statSync(join(dir, 'db.sqlite-wal')).size).toBe(walBytes);
    expect(connection().prepare('SELECT COUNT(*) FROM rows').pluck().get()).toBe(1600);
  });

  it('stops its worker on shutdown: nothing is left to checkpoint from', async () => {
    await checkpointer.beforeApplicationShutdown();
    expect(await checkpointer.checkpointNow()).toBeNull();
  });
});
