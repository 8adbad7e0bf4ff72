import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Which engine the e2e suite runs on. jest.config.js runs it twice: once on SQLite, once on PostgreSQL
 * (the `postgres` project sets TEST_DATABASE_ENGINE and TEST_POSTGRES_URL, a server where it may create
 * databases).
 */
export const ENGINE: 'sqlite' | 'postgres' = process.env.TEST_DATABASE_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export interface RawResult<T> {
  rows: T[];
  changes: number;
}

/**
 * One test's own database: a SQLite file in its data folder, or a fresh database on the PostgreSQL test
 * server. `env` is what the app needs to open it (again, after a restart); `query` reaches it behind the
 * application's back, through a second connection, as someone with database access would.
 */
export class TestDatabase {
  private constructor(
    readonly env: Record<string, string>,
    private readonly adminUrl: string | null,
    private readonly name: string | null,
  ) {}

  static async create(dataDir: string): Promise<TestDatabase> {
    const path = join(dataDir, 'test.sqlite');
    if (ENGINE === 'sqlite') {
      return new TestDatabase({ DATABASE_PATH: path }, null, null);
    }
    const adminUrl = process.env.TEST_POSTGRES_URL ?? '';
    const name = `case_review_test_${randomBytes(6).toString('hex')}`;
    await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    // DATABASE_PATH still names the data folder (evidence files live beside it).
    return new TestDatabase({ DATABASE_PATH: path, DATABASE_URL: url.toString() }, adminUrl, name);
  }

  /** A database that already exists, as given by another TestDatabase's `env` (a restart). */
  static existing(env: Record<string, string>): TestDatabase {
    return new TestDatabase(
      { DATABASE_PATH: env.DATABASE_PATH, ...(env.DATABASE_URL ? { DATABASE_URL: env.DATABASE_URL } : {}) },
      null,
      null,
    );
  }

  /** One statement; `?` placeholders on both engines. */
  async query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<RawResult<T>> {
    if (!this.env.DATABASE_URL) {
      const db = new Database(this.env.DATABASE_PATH);
      try {
        const statement = db.prepare(sql);
        if (statement.reader) {
          return { rows: statement.all(...params) as T[], changes: 0 };
        }
        return { rows: [], changes: statement.run(...params).changes };
      } catch (error) {
        // better-sqlite3's native addon keeps the error class of the first test file that loaded it in
        // this worker; rethrown as this file's Error so jest's matchers recognise it.
        throw new Error((error as Error).message, { cause: error });
      } finally {
        db.close();
      }
    }
    let index = 0;
    const text = sql.replace(/\?/g, () => `$${++index}`);
    const result = await withClient(this.env.DATABASE_URL, (client) => client.query(text, params));
    return { rows: result.rows as T[], changes: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0) };
  }

  /** Several statements in one transaction, on one connection. */
  async transaction(
    work: (query: <T = Record<string, unknown>>(sql: string, ...params: unknown[]) => Promise<RawResult<T>>) => Promise<void>,
  ): Promise<void> {
    if (!this.env.DATABASE_URL) {
      const db = new Database(this.env.DATABASE_PATH);
      try {
        db.exec('BEGIN');
        await work(<T>(sql: string, ...params: unknown[]) => {
          const statement = db.prepare(sql);
          return Promise.resolve(
            statement.reader
              ? { rows: statement.all(...params) as T[], changes: 0 }
              : { rows: [], changes: statement.run(...params).changes },
          );
        });
        db.exec('COMMIT');
      } finally {
        db.close();
      }
      return;
    }
    await withClient(this.env.DATABASE_URL, async (client) => {
      await client.query('BEGIN');
      await work(async <T>(sql: string, ...params: unknown[]) => {
        let index = 0;
        const result = await client.query(
          sql.replace(/\?/g, () => `$${++index}`),
          params,
        );
        return { rows: result.rows as T[], changes: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0) };
      });
      await client.query('COMMIT');
    });
  }

  /** Drops the append-only triggers on audit_events, as someone with full database access could. */
  async dropAuditTriggers(): Promise<void> {
    if (!this.env.DATABASE_URL) {
      await this.query('DROP TRIGGER IF EXISTS audit_events_no_update');
      await this.query('DROP TRIGGER IF EXISTS audit_events_no_delete');
    } else {
      await this.query('DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events');
    }
  }

  /** Removes a PostgreSQL database this object created (SQLite files go with the data folder). */
  async drop(): Promise<void> {
    if (this.adminUrl && this.name) {
      await withClient(this.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
    }
  }
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
