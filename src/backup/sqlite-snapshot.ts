import { startSqliteWorker } from '../database/sqlite-worker.js';

/**
 * How the consistent copy of a live SQLite file is made (docs/performance.md has the measurements):
 * - `vacuum-into`: `VACUUM INTO` — one read transaction, so one snapshot; writes a compacted file
 *   (free pages dropped, tables and indexes rebuilt in order).
 * - `backup-api`: SQLite's online backup API (better-sqlite3 `db.backup()`), all pages in one step, so also
 *   one read transaction; a page-for-page copy, then switched to a rollback journal so that it is one file.
 * Either way the copy runs on a connection of its own in a worker thread: under WAL a reader never blocks the
 * service's writers (the WAL only cannot be reset past the snapshot until the copy ends), and the calling
 * thread — the service's own, when called in-process — keeps serving.
 * The backup API's default of 100 pages a step is not offered: every commit between two steps restarts it, so
 * under steady load it need never finish.
 */
export type SnapshotMethod = 'vacuum-into' | 'backup-api';
export const SNAPSHOT_METHODS: readonly SnapshotMethod[] = ['vacuum-into', 'backup-api'];

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
(async () => {
  const db = new Database(workerData.source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    if (workerData.method === 'vacuum-into') {
      db.prepare('VACUUM INTO ?').run(workerData.target);
    } else {
      await db.backup(workerData.target, { progress: () => 0x7fffffff });
      // A page copy keeps the source's WAL flag in its header; the backup is one self-contained file.
      const copy = new Database(workerData.target);
      copy.pragma('journal_mode = DELETE');
      copy.close();
    }
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error && error.message || error) });
  } finally {
    db.close();
  }
})();
`;

/** Copies the live database at `source` into the new file `target`, consistently, without stopping its writers. */
export function snapshotSqlite(source: string, target: string, method: SnapshotMethod): Promise<void> {
  const worker = startSqliteWorker(WORKER_SOURCE, { source, target, method });
  // The worker holds the event loop while it copies (a script has nothing else pending meanwhile).
  worker.ref();
  return new Promise<void>((resolve, reject) => {
    worker.once('message', (message: { ok: boolean; error?: string }) => {
      if (message.ok) {
        resolve();
      } else {
        reject(new Error(`copying the database failed: ${message.error}`));
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the database copy stopped (worker exit code ${code})`)));
  });
}
