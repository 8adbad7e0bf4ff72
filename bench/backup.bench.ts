/**
 * `node dist/bench/backup.bench.js <copy of a database>`: the two ways `npm run backup` can copy a live SQLite
 * file (src/backup/sqlite-snapshot.ts), each while a writer commits one row per transaction (WAL,
 * synchronous=FULL, as the service) on the same file: how long the copy takes, how big it is, and whether the
 * writer was held up (commits during the copy, p99 and max commit latency, against the same writer alone).
 * A benchmark, not a test: it prints figures (docs/performance.md). It adds a table `bench_writes` to the
 * file it is given: pass a copy.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';

import { type SnapshotMethod, snapshotSqlite } from '../src/backup/sqlite-snapshot.js';
import { percentile } from './percentile.js';

const path = process.argv[2];
if (!path) {
  throw new Error('usage: node dist/bench/backup.bench.js <copy of a database file>');
}
const writer = new Database(path);
writer.pragma('journal_mode = WAL');
writer.pragma('synchronous = FULL');
writer.exec('CREATE TABLE IF NOT EXISTS bench_writes (id INTEGER PRIMARY KEY, at TEXT NOT NULL)');
const insert = writer.prepare('INSERT INTO bench_writes (at) VALUES (?)');

/** Commits one row at a time, yielding to the event loop between commits, until `done()` says stop. */
async function writeUntil(done: () => boolean): Promise<number[]> {
  const latencies: number[] = [];
  while (!done()) {
    const started = performance.now();
    writer.transaction(() => insert.run(new Date().toISOString()))();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return latencies;
}

const describe = (label: string, unsorted: number[], ms: number) => {
  const latencies = [...unsorted].sort((a, b) => a - b);
  return (
    `${label}: ${latencies.length} commits in ${(ms / 1000).toFixed(1)} s (${Math.round(latencies.length / (ms / 1000))}/s), ` +
    `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`
  );
};

const baselineStart = performance.now();
const baseline = await writeUntil(() => performance.now() - baselineStart > 3000);
console.log(describe('writer alone', baseline, performance.now() - baselineStart));

// BACKUP_BENCH_DIR: where the copies go (e.g. /dev/shm, to tell disk contention from locking).
const out = mkdtempSync(join(process.env.BACKUP_BENCH_DIR ?? tmpdir(), 'backup-bench-'));
try {
  for (const method of ['vacuum-into', 'backup-api', 'vacuum-into', 'backup-api'] as SnapshotMethod[]) {
    const target = join(out, `${method}-${Date.now()}.sqlite`);
    let finished = false;
    const started = performance.now();
    const [latencies] = await Promise.all([
      writeUntil(() => finished),
      snapshotSqlite(path, target, method).finally(() => (finished = true)),
    ]);
    const ms = performance.now() - started;
    const wal = statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    console.log(
      `${method}: copy ${(ms / 1000).toFixed(1)} s, ${(statSync(target).size / 1048576).toFixed(0)} MB (source ${(statSync(path).size / 1048576).toFixed(0)} MB, WAL ${(wal / 1048576).toFixed(0)} MB after); ` +
        describe('writer meanwhile', latencies, ms),
    );
    rmSync(target);
    writer.pragma('wal_checkpoint(TRUNCATE)');
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  writer.close();
}
