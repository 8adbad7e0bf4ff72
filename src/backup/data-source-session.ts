import { DataSource, type DataSourceOptions } from 'typeorm';

import { Clock } from '../common/clock.js';
import type { AppConfig } from '../config/app-config.js';
import { databaseOptions, sqliteOptions } from '../database/data-source-options.js';
import { UnitOfWork } from '../database/unit-of-work.js';

/**
 * A database opened outside the service, for the backup tools: the service's own DataSource options and its
 * unit of work, so every query below runs exactly as it does in the service. Migrations are never run here:
 * a backup is read as it is, and verifying a restored database must not change it.
 */
export class DataSession {
  private constructor(
    readonly dataSource: DataSource,
    readonly uow: UnitOfWork,
  ) {}

  static async open(options: DataSourceOptions): Promise<DataSession> {
    const dataSource = await new DataSource(options).initialize();
    return new DataSession(dataSource, new UnitOfWork(dataSource));
  }

  /** The configured database: the SQLite file of DATABASE_PATH, or PostgreSQL at DATABASE_URL. */
  static configured(config: AppConfig): Promise<DataSession> {
    return DataSession.open(databaseOptions(config));
  }

  /**
   * A SQLite file opened read-only (a backup copy, or a restore's temporary file): nothing in it changes,
   * not even the journal mode in its header, so its hash stays what the manifest says.
   */
  static readOnlySqlite(path: string): Promise<DataSession> {
    const options = sqliteOptions(path) as Extract<DataSourceOptions, { type: 'better-sqlite3' }>;
    return DataSession.open({ ...options, enableWAL: false, readonly: true, fileMustExist: true, prepareDatabase: undefined });
  }

  async close(): Promise<void> {
    await this.uow.beforeApplicationShutdown();
    await this.dataSource.destroy();
  }
}

/**
 * The checkpoint service needs "now" to be after the instant asked for; a backup's events may carry
 * instants ahead of this machine's clock (another clock, a test's), so now is never before `notBefore`.
 */
export class AtLeastClock extends Clock {
  constructor(private readonly notBefore: Date) {
    super();
  }
  now(): Date {
    return new Date(Math.max(Date.now(), this.notBefore.getTime()));
  }
}
