import type { EntityManager } from 'typeorm';

/**
 * Hand-written SQL for the hot path of a command (load, update, append). TypeORM's query builder cost
 * about a third of the CPU of a transition in `npm run bench`; prepared raw statements (better-sqlite3
 * caches them) cost almost nothing. Queries are written with `?` and numbered for PostgreSQL.
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
  const postgres = manager.connection.options.type === 'postgres';
  let index = 0;
  const text = postgres ? query.replace(/\?/g, () => `$${++index}`) : query;
  const result = await runner.query(text, parameters, true);
  return { rows: (result.records ?? []) as T[], affected: result.affected ?? 0 };
}

/** JSON columns come back as text on SQLite and (for `text` columns) on PostgreSQL alike. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** SQLite has no boolean type: 0/1 come back. */
export const toBoolean = (value: unknown): boolean => value === true || value === 1 || value === '1' || value === 't';

/** Maps a raw row's snake_case columns onto an entity's camelCase fields (for tables without JSON columns). */
export function fromSnakeRow<T extends object>(entity: new () => T, row: Record<string, unknown>): T {
  const target = new entity() as Record<string, unknown>;
  for (const [column, value] of Object.entries(row)) {
    target[column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())] = value;
  }
  return target as T;
}
