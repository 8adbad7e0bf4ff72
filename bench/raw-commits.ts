import Database from 'better-sqlite3';

/**
 * The machine's raw durable-commit rate: better-sqlite3, one row per transaction, WAL,
 * synchronous=FULL (an fsync per commit) — the ceiling any durable transition rate is compared to.
 */
export function measureRawCommits(path: string, durationMs = 3000): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS bench_rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO bench_rows (payload) VALUES (?)');
  const commitOne = db.transaction((payload: string) => insert.run(payload));
  const started = performance.now();
  let commits = 0;
  while (performance.now() - started < durationMs) {
    commitOne(`row ${commits}`);
    commits++;
  }
  const elapsedS = (performance.now() - started) / 1000;
  db.close();
  return commits / elapsedS;
}
