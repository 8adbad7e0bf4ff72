import type { Row } from './case-template.js';

/**
 * The engine-specific half of the bulk load: reading the template rows and writing clones in large
 * transactions. The seed itself is engine-neutral; `sqlite-writer.ts` and `postgres-writer.ts` implement this.
 */
export interface BulkWriter {
  readonly engine: 'sqlite' | 'postgres';
  /** tables with a `case_id` column (what a case owns), besides `cases` itself */
  caseTables(): Promise<string[]>;
  /** `SELECT *` of the rows of `table` whose `column` is one of `values` */
  selectRows(table: string, column: string, values: readonly string[], orderBy?: string): Promise<Row[]>;
  ids(table: string): Promise<string[]>;
  /** Before the load: session settings for speed, secondary indexes of `tables` dropped unless `keepIndexes` (rebuilt by endLoad). */
  beginLoad(tables: readonly string[], keepIndexes?: boolean): Promise<void>;
  /** Buffers rows; they are written by the next flush. */
  add(table: string, columns: readonly string[], rows: readonly unknown[][]): void;
  /** Writes every buffered row in one transaction. */
  flush(): Promise<void>;
  /** Rebuilds the indexes dropped by beginLoad and restores the settings the service expects. */
  endLoad(onStep?: (what: string) => void): Promise<void>;
  /** database size on disk, in bytes */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

/** Rows buffered per table, in insertion order. */
export class RowBuffer {
  readonly tables = new Map<string, { columns: readonly string[]; rows: unknown[][] }>();
  count = 0;

  add(table: string, columns: readonly string[], rows: readonly unknown[][]): void {
    let entry = this.tables.get(table);
    if (!entry) {
      entry = { columns, rows: [] };
      this.tables.set(table, entry);
    } else if (entry.columns.length !== columns.length || entry.columns.some((c, i) => c !== columns[i])) {
      throw new Error(`bulk load: rows of ${table} with different columns (${columns.join(',')} vs ${entry.columns.join(',')})`);
    }
    for (const row of rows) {
      entry.rows.push(row);
    }
    this.count += rows.length;
  }

  clear(): void {
    this.tables.clear();
    this.count = 0;
  }
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export interface TriggerPlan {
  /** the trigger only writes rows of tables being loaded: clones already carry what it derives, so it is off during the load */
  pause: boolean;
  /** tables the trigger reads: their indexes stay during the load, or each firing would scan them */
  reads: string[];
}

/**
 * What to do with a trigger during the load, from its body (SQLite: the statements after BEGIN;
 * PostgreSQL: its function's source). A trigger that writes only into loaded tables derives values the
 * clones copy from their templates (which that same trigger maintained), so it is paused — e.g. issue 5's
 * `next_due_at` triggers (until migration 1768300000000), whose per-row `MIN(due_at)` over deadlines would
 * otherwise run for each cloned deadline. A
 * trigger that writes elsewhere (a search index) must keep firing; a guard that writes nothing (the audit
 * table's append-only refusal) fires on no INSERT and is left alone.
 */
export function triggerPlan(body: string, loaded: readonly string[]): TriggerPlan {
  const names = (pattern: RegExp) => [...body.matchAll(pattern)].map((m) => m[1].toLowerCase());
  const writes = names(/\b(?:UPDATE|INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM)\s+["`]?(\w+)/gi);
  const reads = names(/\b(?:FROM|JOIN)\s+["`]?(\w+)/gi);
  return { pause: writes.length > 0 && writes.every((table) => loaded.includes(table)), reads: [...new Set(reads)] };
}
