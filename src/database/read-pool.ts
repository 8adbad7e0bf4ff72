import type { Worker } from 'node:worker_threads';

import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { DomainError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { runSql } from './sql.js';
import { sqliteFileOf, startSqliteWorker } from './sqlite-worker.js';
import { UnitOfWork } from './unit-of-work.js';

/** One statement with `?` placeholders (numbered for PostgreSQL by runSql). */
export interface ReadStatement {
  sql: string;
  params: unknown[];
}

export type Rows = Array<Record<string, unknown>>;

/**
 * A reader thread's whole program (plain CommonJS, evaluated as is, like the WAL checkpointer's): its own
 * read-only connection, the statements of one message in one read transaction (one snapshot; WAL lets it
 * read while the request thread writes), prepared once.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true, fileMustExist: true });
db.pragma('cache_size = -16384');
const prepared = new Map();
const prepare = (sql) => {
  let statement = prepared.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (prepared.size >= 256) prepared.delete(prepared.keys().next().value);
    prepared.set(sql, statement);
  }
  return statement;
};
parentPort.on('message', ({ id, statements }) => {
  try {
    db.exec('BEGIN');
    try {
      parentPort.postMessage({ id, results: statements.map(({ sql, params }) => prepare(sql).all(...params)) });
    } finally {
      db.exec('COMMIT');
    }
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface Job {
  statements: ReadStatement[];
  deadline: number;
  resolve(results: Rows[]): void;
  reject(error: unknown): void;
  timer?: NodeJS.Timeout;
  settled?: boolean;
}

interface Reader {
  worker: Worker;
  job: Job | null;
}

/** The PostgreSQL error of a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';

/**
 * Long reads (issue 16): lists, the leadership summary and the CSV export's chunks, off the thread that
 * serves requests, each within a time budget.
 *
 * Why: better-sqlite3 is synchronous, so a read on the request thread holds every other request, the
 * commands included, for as long as it runs (a 2-character search over a province took 4.8 s at
 * 1,000,000 cases, a province's export ran for minutes). Here each read runs on a reader thread with its
 * own read-only connection (WAL: readers and the writer do not wait for each other), at most READ_WORKERS
 * at once; the others queue. On PostgreSQL reads already run on pooled connections, so this only bounds
 * how many run at once and how long (statement_timeout).
 *
 * The budget (READ_BUDGET_MS) runs from the moment the read is asked for, queueing included. Past it the
 * caller gets a 503 naming the budget, at once: a queued read is dropped; a running one is stopped — on
 * PostgreSQL by the server (statement_timeout), on SQLite by terminating its thread (better-sqlite3 cannot
 * interrupt a statement: the thread ends when SQLite's step returns, its result unread). Its slot is free
 * again once the thread has ended, so stopped reads never add threads beyond READ_WORKERS.
 */
@Injectable()
export class ReadPool implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReadPool.name);
  private readonly queue: Job[] = [];
  private readonly readers: Reader[] = [];
  /** Threads told to stop that are still inside SQLite. */
  private readonly stopping = new Set<Promise<unknown>>();
  private running = 0;
  private holds = 0;
  private closed = false;
  private readonly capacity: number;
  private readonly budgetMs: number;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.capacity = config.READ_WORKERS;
    this.budgetMs = config.READ_BUDGET_MS;
  }

  /** Starts the reader threads now, so that no read's budget pays for a thread's start (~0.1 s). */
  onApplicationBootstrap(): void {
    const path = sqliteFileOf(this.dataSource);
    while (path !== null && this.readers.length < this.capacity) {
      this.spawn(path);
    }
  }

  /** The SQL dialect the statements must be written in. */
  get dialect(): 'sqlite' | 'postgres' {
    return this.dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
  }

  /** The statements' rows, all read against one snapshot, off the request thread, within the budget. */
  query(statements: ReadStatement[]): Promise<Rows[]> {
    if (this.closed) {
      return Promise.reject(new DomainError('SERVICE_UNAVAILABLE', 'the service is shutting down'));
    }
    return new Promise<Rows[]>((resolve, reject) => {
      const job: Job = { statements, deadline: Date.now() + this.budgetMs, resolve, reject };
      job.timer = setTimeout(() => this.expire(job), this.budgetMs);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /**
   * Starts no read until the returned function is called (reads asked for meanwhile queue, their budget
   * running): lets a test hold an export mid-way, or an operator drain the readers.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.holds--;
        this.dispatch();
      }
    };
  }

  private dispatch(): void {
    while (this.holds === 0 && this.running < this.capacity && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.execute(job).then(
        (results) => this.settle(job, () => job.resolve(results)),
        (error: unknown) => this.settle(job, () => job.reject(error)),
      );
    }
  }

  private settle(job: Job, answer: () => void): void {
    this.running--;
    if (!job.settled) {
      job.settled = true;
      clearTimeout(job.timer);
      answer();
    }
    this.dispatch();
  }

  private expire(job: Job): void {
    if (job.settled) {
      return;
    }
    job.settled = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
    } else {
      // Running on SQLite: stop its thread (PostgreSQL's statement_timeout stops the server's side).
      const reader = this.readers.find((r) => r.job === job);
      if (reader) {
        this.replace(reader);
      }
    }
    job.reject(this.overBudget());
  }

  private overBudget(): DomainError {
    this.logger.warn(`a read was stopped after its budget of ${this.budgetMs} ms`);
    return new DomainError(
      'SERVICE_UNAVAILABLE',
      `this read took longer than the ${this.budgetMs} ms one request may use; narrow it (a unit, a period, a longer q) or try again later`,
    );
  }

  private execute(job: Job): Promise<Rows[]> {
    if (this.dataSource.options.type === 'postgres') {
      return this.onPostgres(job);
    }
    const path = sqliteFileOf(this.dataSource);
    if (path === null) {
      // An in-memory database has no file a second connection could open: read on the request thread.
      return this.uow.read(async (manager) => {
        const results: Rows[] = [];
        for (const { sql, params } of job.statements) {
          results.push((await runSql(manager, sql, params)).rows);
        }
        return results;
      });
    }
    return this.onReader(job, path);
  }

  private onPostgres(job: Job): Promise<Rows[]> {
    return this.dataSource
      .transaction('REPEATABLE READ', async (manager) => {
        const left = Math.max(1, job.deadline - Date.now());
        await manager.query(`SET LOCAL statement_timeout = ${Math.ceil(left)}`);
        const results: Rows[] = [];
        for (const { sql, params } of job.statements) {
          results.push((await runSql(manager, sql, params)).rows);
        }
        return results;
      })
      .catch((error: unknown) => {
        // Cancelled by statement_timeout, which the budget's own timer may not have noticed yet.
        throw (error as { driverError?: { code?: string } }).driverError?.code === QUERY_CANCELED ? this.overBudget() : error;
      });
  }

  private onReader(job: Job, path: string): Promise<Rows[]> {
    const reader = this.readers.find((r) => r.job === null) ?? this.spawn(path);
    reader.job = job;
    reader.worker.ref(); // a read in flight keeps the process alive (a seed script has no server to)
    return new Promise<Rows[]>((resolve, reject) => {
      const done = () => {
        reader.worker.off('message', onMessage);
        reader.worker.off('exit', onExit);
        if (reader.job === job) {
          reader.job = null;
          reader.worker.unref();
        }
      };
      const onMessage = (message: { results?: Rows[]; error?: string }) => {
        done();
        if (message.error !== undefined) {
          reject(new Error(message.error));
        } else {
          resolve(message.results!);
        }
      };
      const onExit = () => {
        done();
        reject(new Error('the reader thread stopped'));
      };
      reader.worker.on('message', onMessage);
      reader.worker.once('exit', onExit);
      const statements = job.statements.map(({ sql, params }) => ({
        sql,
        // better-sqlite3 binds no booleans.
        params: params.map((p) => (typeof p === 'boolean' ? Number(p) : p)),
      }));
      reader.worker.postMessage({ id: 0, statements });
    });
  }

  private spawn(path: string): Reader {
    const worker = startSqliteWorker(WORKER_SOURCE, { path });
    const reader: Reader = { worker, job: null };
    worker.on('error', (error) => {
      this.logger.error(`a reader thread failed: ${error.message}`);
      this.forget(reader);
    });
    this.readers.push(reader);
    return reader;
  }

  /** Drops a reader whose read ran out of budget, and starts a fresh thread once it has ended. */
  private replace(reader: Reader): void {
    this.forget(reader);
    const path = sqliteFileOf(this.dataSource);
    reader.worker.once('exit', () => {
      if (!this.closed && path !== null && this.readers.length < this.capacity) {
        this.spawn(path);
      }
    });
    const stopped = reader.worker.terminate().finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
  }

  private forget(reader: Reader): void {
    const index = this.readers.indexOf(reader);
    if (index >= 0) {
      this.readers.splice(index, 1);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) {
      this.expire(job);
    }
    const readers = this.readers.splice(0);
    // ref(): an unref'd worker's exit does not keep the event loop alive, and awaiting it with nothing
    // else to do would let Node end the process in the middle of shutdown (the seed:bulk bug of issue 16).
    await Promise.all([
      ...readers.map((reader) => {
        reader.worker.ref();
        return reader.worker.terminate();
      }),
      ...this.stopping,
    ]);
  }
}
