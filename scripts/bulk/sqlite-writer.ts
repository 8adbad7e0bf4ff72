import { statSync } from 'node:fs';

import Database from 'better-sqlite3';

import { type BulkWriter, quoteIdent, RowBuffer, triggerPlan } from './bulk-writer.js';
import type { Row } from './case-template.js';

/** SQLite's default limit on bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER). */
const MAX_PARAMETERS = 32766;
const ROWS_PER_STATEMENT = 100;

/**
 * Bulk writes on one better-sqlite3 connection, the service being stopped: `synchronous=OFF`, the rollback
 * journal in memory and a 1 GB page cache only for the load, prepared multi-row INSERTs, one transaction per flush,
 * and secondary indexes dropped before and rebuilt after (one sort per index instead of random B-tree
 * inserts). A crash during the load leaves a database to throw away: the seed is re-run, not recovered.
 */
export class SqliteBulkWriter implements BulkWriter {
  readonly engine = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly buffer = new RowBuffer();
  private readonly statements = new Map<string, Database.Statement>();
  private droppedIndexes: Array<{ name: string; sql: string }> = [];
  private pausedTriggers: Array<{ name: string; sql: string }> = [];

  constructor(private readonly path: string) {
    this.db = new Database(path);
  }

  caseTables(): Promise<string[]> {
    const tables = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    return Promise.resolve(
      tables.filter((table) =>
        (this.db.prepare(`PRAGMA table_info(${quoteIdent(table)})`).all() as Array<{ name: string }>).some((c) => c.name === 'case_id'),
      ),
    );
  }

  selectRows(table: string, column: string, values: readonly string[], orderBy?: string): Promise<Row[]> {
    const rows: Row[] = [];
    for (let i = 0; i < values.length; i += 500) {
      const chunk = values.slice(i, i + 500);
      const sql = `SELECT * FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IN (${chunk.map(() => '?').join(',')})${orderBy ? ` ORDER BY ${orderBy}` : ''}`;
      rows.push(...(this.db.prepare(sql).all(...chunk) as Row[]));
    }
    return Promise.resolve(rows);
  }

  ids(table: string): Promise<string[]> {
    return Promise.resolve(
      this.db
        .prepare(`SELECT id FROM ${quoteIdent(table)}`)
        .pluck()
        .all() as string[],
    );
  }

  beginLoad(tables: readonly string[], keepIndexes = false): Promise<void> {
    // WAL would write every page twice (log, then checkpoint). A rollback journal kept in memory writes
    // pages once; OFF is refused by better-sqlite3's defensive mode, and WAL → MEMORY must pass DELETE.
    this.db.pragma('journal_mode = DELETE');
    const mode = this.db.pragma('journal_mode = MEMORY', { simple: true }) as string;
    if (mode !== 'memory') {
      throw new Error(`bulk load: could not leave WAL mode (journal_mode is ${mode}); is the service still running on this file?`);
    }
    this.db.pragma('synchronous = OFF');
    this.db.pragma('cache_size = -1048576');
    this.db.pragma('temp_store = MEMORY');
    const placeholders = tables.map(() => '?').join(',');
    // SQLite cannot disable a trigger: a paused one is dropped and created again by endLoad.
    const keepIndexesOf = new Set<string>();
    const triggers = this.db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (${placeholders})`)
      .all(...tables) as Array<{ name: string; sql: string }>;
    for (const trigger of triggers) {
      const plan = triggerPlan(trigger.sql.slice(Math.max(0, trigger.sql.search(/\bBEGIN\b/i))), tables);
      if (plan.pause) {
        this.db.exec(`DROP TRIGGER ${quoteIdent(trigger.name)}`);
        this.pausedTriggers.push(trigger);
      } else {
        plan.reads.forEach((table) => keepIndexesOf.add(table));
      }
    }
    if (keepIndexes) {
      return Promise.resolve();
    }
    this.droppedIndexes = (
      this.db
        .prepare(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders})`)
        .all(...tables) as Array<{ name: string; tbl_name: string; sql: string }>
    ).filter((index) => !keepIndexesOf.has(index.tbl_name.toLowerCase()));
    for (const index of this.droppedIndexes) {
      this.db.exec(`DROP INDEX ${quoteIdent(index.name)}`);
    }
    return Promise.resolve();
  }

  add(table: string, columns: readonly string[], rows: readonly unknown[][]): void {
    this.buffer.add(table, columns, rows);
  }

  private statement(table: string, columns: readonly string[], rows: number): Database.Statement {
    const key = `${table}:${rows}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const tuple = `(${columns.map(() => '?').join(',')})`;
      statement = this.db.prepare(
        `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(',')}) VALUES ${Array.from({ length: rows }, () => tuple).join(',')}`,
      );
      this.statements.set(key, statement);
    }
    return statement;
  }

  flush(): Promise<void> {
    this.db.transaction(() => {
      for (const [table, { columns, rows }] of this.buffer.tables) {
        const perStatement = Math.max(1, Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length)));
        let i = 0;
        for (; i + perStatement <= rows.length; i += perStatement) {
          this.statement(table, columns, perStatement).run(...rows.slice(i, i + perStatement).flat());
        }
        for (; i < rows.length; i++) {
          this.statement(table, columns, 1).run(...rows[i]);
        }
      }
    })();
    this.buffer.clear();
    return Promise.resolve();
  }

  endLoad(onStep?: (what: string) => void): Promise<void> {
    for (const index of this.droppedIndexes) {
      onStep?.(`index ${index.name}`);
      this.db.exec(index.sql);
    }
    this.droppedIndexes = [];
    for (const trigger of this.pausedTriggers) {
      onStep?.(`trigger ${trigger.name}`);
      this.db.exec(trigger.sql);
    }
    this.pausedTriggers = [];
    // Back to what the service runs with (data-source-options.ts): WAL, durable commits.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    return Promise.resolve();
  }

  sizeBytes(): Promise<number> {
    return Promise.resolve(statSync(this.path).size);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
