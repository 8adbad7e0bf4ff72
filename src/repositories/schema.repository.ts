import type { EntityManager } from 'typeorm';

/** The database itself and its migrations table, as the readiness checks (operations/readiness-checks.ts) ask them. */
export class SchemaRepository {
  /** The cheapest statement that still goes through the connection. */
  static async ping(manager: EntityManager): Promise<void> {
    await manager.query('SELECT 1');
  }

  /** The names of the migrations applied to this database; `table` is the data source's migrations table. */
  static async appliedMigrations(manager: EntityManager, table: string): Promise<string[]> {
    const applied = await manager.query<Array<{ name: string }>>(`SELECT name FROM ${table}`);
    return applied.map((row) => row.name);
  }
}
