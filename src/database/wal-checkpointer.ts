import type { Worker } from 'node:worker_threads';

import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { sqliteConnection } from './sql.js';
import { sqliteFileOf, startSqliteWorker } from './sqlite-worker.js';

/** Frames in the WAL and frames copied into the database file by a checkpoint, or why it failed. */
export type CheckpointResult = { log: number; checkpointed: number } | { error: string };

/** How often the worker copies committed WAL frames into the database file. */
const CHECKPOINT_INTERVAL_MS = 200;

/**
 * The WAL size (pages) at which the request thread still checkpoints after a commit. Under steady load
 * the worker is always a few commits behind, and SQLite only starts the WAL over when a checkpoint has
 * caught up completely at the start of a write; this catch-up, between two batches, copies only the
 * frames since the worker's last pass. Without it the WAL grew to 374 MB in one benchmark run; with it,
 * it stays near 16 MB (4,000 pages of 4 KB).
 */
const REQUEST_THREAD_CHECKPOINT_PAGES = 4000;

/**
 * The worker's whole program (plain CommonJS, evaluated as is, so it runs the same under the built
 * service and under the tests' TypeScript loader): its own connection to the file, and a PASSIVE
 * checkpoint at a fixed interval. PASSIVE never blocks the writer and never waits for it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = FULL');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    return { log: result.log, checkpointed: result.checkpointed };
  } catch (error) {
    return { error: String(error) };
  }
};
const report = (result) => { if (result.error) parentPort.postMessage(result); };
const timer = setInterval(() => report(checkpoint()), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    parentPort.postMessage(checkpoint());
    return;
  }
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves SQLite's WAL checkpoints off the thread that serves requests.
 *
 * Why: with the default auto-checkpoint, the commit that takes the WAL past 1,000 pages also copies those
 * pages into the database file and fsyncs it, on the one Node thread, while every queued command waits.
 * In `npm run bench` that was about 140 commits of 8–46 ms in a run (a fifth of all commit time) and what
 * set its p99. Here a worker thread with its own connection checkpoints every 200 ms on the other core,
 * and the request thread only finishes what the worker left, rarely (REQUEST_THREAD_CHECKPOINT_PAGES).
 * Durability does not change:
 * a command is acknowledged after its COMMIT synced the WAL, and checkpoints only copy committed frames.
 * Should the worker fail, the request thread's auto-checkpoint is switched back on.
 */
@Injectable()
export class WalCheckpointer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker: Worker | null = null;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const path = sqliteFileOf(this.dataSource);
    if (path === null) {
      return;
    }
    const worker = startSqliteWorker(WORKER_SOURCE, { path, intervalMs: CHECKPOINT_INTERVAL_MS });
    sqliteConnection(this.dataSource).pragma(`wal_autocheckpoint = ${REQUEST_THREAD_CHECKPOINT_PAGES}`);
    worker.on('message', (message: CheckpointResult) => {
      if ('error' in message) {
        this.logger.warn(`WAL checkpoint failed: ${message.error}`);
      }
    });
    worker.on('error', (error) => this.fallBack(`WAL checkpointer stopped: ${error.message}`));
    this.worker = worker;
  }

  /** Checkpoints now, in the worker, and says how far: for tests and tooling; null when there is no worker. */
  checkpointNow(): Promise<CheckpointResult | null> {
    const worker = this.worker;
    if (!worker) {
      return Promise.resolve(null);
    }
    return this.whileHeld(
      worker,
      new Promise((resolve) => {
        worker.once('message', resolve);
        worker.postMessage('checkpoint');
      }),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      worker.removeAllListeners('error');
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage('stop');
      await this.whileHeld(worker, exited);
    }
  }

  /**
   * Awaits an answer from the worker with the worker holding the event loop open. The worker is unref()ed so
   * that it never keeps a finished process alive; but a process with nothing else pending (a script such as
   * seed:bulk closing its in-process app, no HTTP server) would otherwise simply exit, code 0, in the middle
   * of the await — which is how seed:bulk stopped after its templates having written no clones.
   */
  private async whileHeld<T>(worker: Worker, answer: Promise<T>): Promise<T> {
    worker.ref();
    try {
      return await answer;
    } finally {
      worker.unref();
    }
  }

  private fallBack(reason: string): void {
    this.logger.error(`${reason}; the request thread checkpoints again`);
    this.worker = null;
    sqliteConnection(this.dataSource).pragma('wal_autocheckpoint = 1000');
  }
}
