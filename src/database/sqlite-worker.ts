import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

import type { DataSource } from 'typeorm';

/** The SQLite file behind the data source; null on PostgreSQL or in memory, where no second connection reaches it. */
export function sqliteFileOf(dataSource: DataSource): string | null {
  const options = dataSource.options;
  return options.type === 'better-sqlite3' && options.database !== ':memory:' ? String(options.database) : null;
}

/**
 * A thread with a connection of its own to the SQLite file (the WAL checkpointer, the readers). `source` is the
 * thread's whole program in plain CommonJS, evaluated as is, so that it runs the same under the built service
 * and under the tests' TypeScript loader; it finds better-sqlite3 at `workerData.driver`. The thread is
 * unreferenced: it never keeps a finished process alive (whoever awaits it must ref it meanwhile).
 */
export function startSqliteWorker(source: string, workerData: Record<string, unknown>): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(source, { eval: true, workerData: { ...workerData, driver } });
  worker.unref();
  return worker;
}
