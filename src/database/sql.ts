import type Database from 'better-sqlite3';
import type { DataSource, EntityManager } from 'typeorm';

/** better-sqlite3's prepared statements, per connection; tuple (`raw`) and column (`pluck`) ones apart, as a mode sticks. */
type Mode = 'rows' | 'tuples' | 'column';
const statements = new WeakMap<Database.Database, Record<Mode, Map<string, Database.Statement>>>();

function prepared(db: Database.Database, query: string, mode: Mode = 'rows'): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = { rows: new Map(), tuples: new Map(), column: new Map() };
    statements.set(db, cache);
  }
  let statement = cache[mode].get(query);
  if (!statement) {
    statement = db.prepare(query);
    if (mode === 'tuples') {
      statement.raw(true);
    } else if (mode === 'column') {
      statement.pluck(true);
    }
    cache[mode].set(query, statement);
  }
  return statement;
}

/** The one better-sqlite3 connection TypeORM's driver keeps for a SQLite data source. */
export const sqliteConnection = (dataSource: DataSource): Database.Database =>
  (dataSource.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;

/**
 * Hand-written SQL for the hot path of a command (load, update, append). TypeORM's query builder cost
 * about a third of the CPU of a transition in `npm run bench`; on SQLite even its plain `query()` wrapper
 * (events, logging, an async hop per statement) cost more than the statements, so there the prepared
 * statement runs on the driver's one connection directly — the same connection, hence the same
 * transaction, as the unit of work's. Queries are written with `?` and numbered for PostgreSQL.
 */
export async function runSql<T = Record<string, unknown>>(
  manager: EntityManager,
  query: string,
  parameters: unknown[] = [],
): Promise<{ rows: T[]; affected: number }> {
  const runner = manager.queryRunner;
  if (!runner) {
    throw new Error('runSql must run inside a unit of work');
  }
  const type = manager.connection.options.type;
  if (type === 'better-sqlite3') {
    const statement = prepared(sqliteConnection(manager.connection), query);
    // better-sqlite3 binds no booleans.
    const values = parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    if (statement.reader) {
      return { rows: statement.all(...values) as T[], affected: 0 };
    }
    return { rows: [], affected: statement.run(...values).changes };
  }
  let index = 0;
  const text = type === 'postgres' ? query.replace(/\?/g, () => `$${++index}`) : query;
  const result = await runner.query(text, parameters, true);
  return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
}

/**
 * A SELECT whose rows come back as arrays, in the order of the select list: for long reads (a case's
 * thousand audit events), where building an object per row cost better-sqlite3 twice the time of the
 * read itself. Name the columns in the query; never `SELECT *`.
 */
export async function runSqlTuples<T extends unknown[]>(manager: EntityManager, query: string, parameters: unknown[] = []): Promise<T[]> {
  if (manager.connection.options.type === 'better-sqlite3') {
    if (!manager.queryRunner) {
      throw new Error('runSqlTuples must run inside a unit of work');
    }
    return prepared(sqliteConnection(manager.connection), query, 'tuples').all(...parameters) as T[];
  }
  // pg gives each row's columns in select-list order.
  return (await runSql(manager, query, parameters)).rows.map((row) => Object.values(row) as T);
}

/** The first column of each row of a SELECT (better-sqlite3's `pluck`): one number a case, no row objects. */
export async function runSqlColumn<T>(manager: EntityManager, query: string, parameters: unknown[] = []): Promise<T[]> {
  if (manager.connection.options.type === 'better-sqlite3') {
    if (!manager.queryRunner) {
      throw new Error('runSqlColumn must run inside a unit of work');
    }
    return prepared(sqliteConnection(manager.connection), query, 'column').all(...parameters) as T[];
  }
  return (await runSql(manager, query, parameters)).rows.map((row) => Object.values(row)[0] as T);
}

export const isPostgres = (manager: EntityManager): boolean => manager.connection.options.type === 'postgres';

/** JSON columns come back as text on SQLite and (for `text` columns) on PostgreSQL alike. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** SQLite has no boolean type: 0/1 come back. */
export const toBoolean = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 't';

/** Maps a raw row's snake_case columns onto an entity's camelCase fields (for tables without JSON columns). */
export function fromSnakeRow<T extends object>(entity: new () => T, row: Record<string, unknown>): T {
  const target = new entity() as Record<string, unknown>;
  for (const column in row) {
    target[fieldName(column)] = row[column];
  }
  return target as T;
}

/** snake_case column → camelCase field, remembered (a 1,000-event audit trail maps 11,000 names). */
const fieldNames = new Map<string, string>();
function fieldName(column: string): string {
  let field = fieldNames.get(column);
  if (field === undefined) {
    field = column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
    fieldNames.set(column, field);
  }
  return field;
}
