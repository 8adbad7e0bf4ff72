import { AsyncResource } from 'node:async_hooks';

import { type BeforeApplicationShutdown, Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';

import { Metrics } from '../operations/metrics.js';
import { sqliteConnection } from './sql.js';

type Work<T> = (manager: EntityManager) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/** Bounds a batch so one commit never holds back a caller for long. */
const MAX_BATCH = 64;

/**
 * The only way the application touches the database after start-up.
 *
 * Why a queue: TypeORM's better-sqlite3 driver keeps ONE connection and ONE query runner for the whole
 * DataSource, so concurrent `dataSource.transaction()` calls silently nest as savepoints and a rollback in
 * one can erase another's acknowledged write (typeorm/typeorm#1884; reproduced on this stack, and test/concurrency.e2e-spec.ts holds that it cannot happen here).
 * On SQLite every unit of work, reads included, runs strictly one after another.
 *
 * Group commit: jobs that queue up while a batch runs share the next transaction, and a batch waits for
 * as long as each turn of the event loop brings more (`gather`). Each job runs inside its
 * own SAVEPOINT, so a refused command rolls back alone; the batch commits once (one fsync) and each caller
 * is answered only after that COMMIT returned.
 *
 * On PostgreSQL each unit of work is its own pooled transaction. Commands (`run`) use READ COMMITTED and
 * lock their case row first, so each statement after the lock sees what earlier commands committed.
 * Reads (`read`) that take several statements (a case with its actions and deadlines, a replay of the
 * trail against the row) use one REPEATABLE READ snapshot, so a command committing in between cannot
 * make them see half of it.
 */
@Injectable()
export class UnitOfWork implements BeforeApplicationShutdown {
  private readonly pending: Job[] = [];
  private draining = false;
  private runner: QueryRunner | null = null;
  private readonly serialised: boolean;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Optional() @Inject(Metrics) private readonly metrics: Metrics | null = null,
  ) {
    this.serialised = dataSource.options.type === 'better-sqlite3';
  }

  run<T>(work: Work<T>): Promise<T> {
    if (!this.serialised) {
      return this.timed(this.dataSource.transaction('READ COMMITTED', work));
    }
    return this.enqueue(work);
  }

  /** On PostgreSQL each unit of work is its own transaction: a batch of one, timed to its commit. */
  private async timed<T>(transaction: Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const value = await transaction;
    this.observeCommit(1, started);
    return value;
  }

  private observeCommit(size: number, started: bigint): void {
    this.metrics?.batchSize.observe(size);
    this.metrics?.commitSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
  }

  /** Work that only reads, against one consistent snapshot. */
  read<T>(work: Work<T>): Promise<T> {
    if (!this.serialised) {
      return this.dataSource.transaction('REPEATABLE READ', work);
    }
    return this.enqueue(work);
  }

  private enqueue<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Run in the caller's async context: the batch runs from whichever caller started the drain, and work
      // that reads AsyncLocalStorage (the request's Idempotency-Key) must see its own request. An
      // AsyncResource with runInAsyncScope costs ~0.5 µs a job here; AsyncResource.bind cost 17 µs.
      const scope = new AsyncResource('UnitOfWork');
      const inScope: Work<T> = (manager) => scope.runInAsyncScope(work, null, manager);
      this.pending.push({ work: inScope, resolve, reject });
      this.metrics?.queueDepth.set(this.pending.length);
      if (!this.draining) {
        this.draining = true;
        this.gather(0);
      }
    });
  }

  /**
   * Starts the batch once a turn of the event loop has brought no more work (or the batch is full), so
   * requests arriving together share one commit and its fsync.
   */
  private gather(seen: number): void {
    setImmediate(() => {
      const queued = this.pending.length;
      if (queued > seen && queued < MAX_BATCH) {
        this.gather(queued);
      } else {
        void this.drain();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        this.metrics?.queueDepth.set(this.pending.length);
        await this.runBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Job[]): Promise<void> {
    const runner = (this.runner ??= this.dataSource.createQueryRunner());
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const started = process.hrtime.bigint();
    try {
      await runner.startTransaction();
      for (const job of batch) {
        outcomes.push(await this.runInSavepoint(runner, job));
      }
      await runner.commitTransaction();
      this.observeCommit(batch.length, started);
    } catch (error) {
      // The transaction itself failed (e.g. the disk refused the commit): nobody was acknowledged.
      if (runner.isTransactionActive) {
        await runner.rollbackTransaction().catch(() => undefined);
      }
      batch.forEach((job) => job.reject(error));
      return;
    }
    batch.forEach((job, index) => {
      const outcome = outcomes[index];
      if (outcome.ok) {
        job.resolve(outcome.value);
      } else {
        job.reject(outcome.error);
      }
    });
  }

  private async runInSavepoint(runner: QueryRunner, job: Job): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }> {
    // Straight to the driver's connection (the one the batch's transaction is on): TypeORM's query()
    // wrapper cost more than these statements themselves, twice per command.
    const db = sqliteConnection(this.dataSource);
    db.exec('SAVEPOINT unit_of_work');
    try {
      const value = await job.work(runner.manager);
      db.exec('RELEASE SAVEPOINT unit_of_work');
      return { ok: true, value };
    } catch (error) {
      db.exec('ROLLBACK TO SAVEPOINT unit_of_work');
      db.exec('RELEASE SAVEPOINT unit_of_work');
      return { ok: false, error };
    }
  }

  /** Before the data source closes (TypeORM closes it on application shutdown): let queued work commit. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.draining) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.runner?.release();
    this.runner = null;
  }
}
