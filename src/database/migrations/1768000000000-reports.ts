import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

import { occurredAtUtc } from '../../cases/occurred-at.js';

const isPostgres = (queryRunner: QueryRunner): boolean => queryRunner.connection.options.type === 'postgres';

/**
 * Leadership reports and list filters (issue 5).
 *
 * Plain columns copied out of the JSON ones (`assessment`, `recommendation`, `appeal`): a report over a
 * unit's cases must not parse JSON per row. The command path writes them (repositories/cases.repository.ts); this
 * migration backfills them once. `occurred_at_utc` is `occurred_at` as a UTC instant, so that dates and
 * date-times compare correctly. `next_due_at` is the earliest due time of the case's open deadlines,
 * kept here by triggers on `deadlines` (every path that opens, closes or fires one is covered, whoever
 * writes it), so "overdue" is a comparison on the case row instead of a join per case. (Migration
 * 1768300000000-next-due-by-commands replaced the triggers: the commands write it now.)
 *
 * One wide index leads with (unit_id, created_at, id) and carries every column a list filter, a sort
 * or a summary reads: scoped lists, their `total` and the summary are answered from the index alone
 * (EXPLAIN: "USING COVERING INDEX"), never from the wide case rows. It replaces nothing: each command
 * rewrites the case's entry in place (its leading columns never change).
 *
 * Search (`q`): SQLite FTS5 with the trigram tokenizer (substring match, Chinese included, for 3 or
 * more characters), an external-content table over `cases` (the text is not stored twice) keyed by the
 * case row's rowid, which every index entry carries, so a match is checked inside idx_cases_unit_list.
 * (Keying by the case id instead, stored in the FTS table, measured ~4 µs per match to read back:
 * 340 ms for a term in 83,000 cases.) VACUUM keeps the rowids of a table without deletions; should they
 * ever change, `INSERT INTO cases_search (cases_search) VALUES ('rebuild')` rebuilds the index from the
 * cases. PostgreSQL: pg_trgm GIN indexes on title and description, which serve ILIKE.
 */
export class Reports1768000000000 implements MigrationInterface {
  name = 'Reports1768000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cases', [
      new TableColumn({ name: 'intent', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'motive', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'nature', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'recommended_outcome', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'appealed', type: 'boolean', default: false }),
      new TableColumn({ name: 'appeal_decision', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'occurred_at_utc', type: 'varchar', length: '32', isNullable: true }),
      new TableColumn({ name: 'next_due_at', type: 'varchar', length: '32', isNullable: true }),
    ]);
    await this.backfill(queryRunner);
    await createNextDueTriggers(queryRunner);
    await queryRunner.createIndex('cases', LIST_INDEX);
    await queryRunner.createIndex('cases', new TableIndex({ name: 'idx_cases_category_created', columnNames: ['category', 'created_at'] }));
    await queryRunner.createIndex('cases', new TableIndex({ name: 'idx_cases_decided', columnNames: ['decided_at', 'created_at'] }));
    await queryRunner.createIndex('cases', new TableIndex({ name: 'idx_cases_occurred', columnNames: ['occurred_at_utc'] }));
    await queryRunner.createIndex('cases', new TableIndex({ name: 'idx_cases_next_due', columnNames: ['next_due_at'] }));
    await this.searchIndex(queryRunner);
  }

  private async backfill(queryRunner: QueryRunner): Promise<void> {
    const field = isPostgres(queryRunner)
      ? (column: string, key: string) => `(${column}::json ->> '${key}')`
      : (column: string, key: string) => `json_extract(${column}, '$.${key}')`;
    await queryRunner.query(
      `UPDATE cases SET intent = ${field('assessment', 'intent')}, motive = ${field('assessment', 'motive')},
       nature = ${field('assessment', 'nature')} WHERE assessment IS NOT NULL`,
    );
    await queryRunner.query(
      `UPDATE cases SET recommended_outcome = ${field('recommendation', 'outcome')} WHERE recommendation IS NOT NULL`,
    );
    await queryRunner.query(`UPDATE cases SET appealed = true, appeal_decision = ${field('appeal', 'decision')} WHERE appeal IS NOT NULL`);
    // The common shape (a date) in SQL; date-times (rare) through the same function the command path uses.
    await queryRunner.query(`UPDATE cases SET occurred_at_utc = occurred_at || 'T00:00:00.000Z' WHERE length(occurred_at) = 10`);
    const others = (await queryRunner.query('SELECT id, occurred_at FROM cases WHERE occurred_at_utc IS NULL')) as Array<{
      id: string;
      occurred_at: string;
    }>;
    for (const row of others) {
      await queryRunner.query(
        `UPDATE cases SET occurred_at_utc = ${isPostgres(queryRunner) ? '$1' : '?'} WHERE id = ${isPostgres(queryRunner) ? '$2' : '?'}`,
        [occurredAtUtc(row.occurred_at), row.id],
      );
    }
    await queryRunner.query(NEXT_DUE_ALL);
  }

  private async searchIndex(queryRunner: QueryRunner): Promise<void> {
    if (isPostgres(queryRunner)) {
      await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await queryRunner.query('CREATE INDEX idx_cases_title_trgm ON cases USING gin (title gin_trgm_ops)');
      await queryRunner.query('CREATE INDEX idx_cases_description_trgm ON cases USING gin (description gin_trgm_ops)');
      return;
    }
    await queryRunner.query("CREATE VIRTUAL TABLE cases_search USING fts5(title, description, content='cases', tokenize='trigram')");
    await queryRunner.query("INSERT INTO cases_search (cases_search) VALUES ('rebuild')");
    const remove =
      "INSERT INTO cases_search (cases_search, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);";
    const add = 'INSERT INTO cases_search (rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);';
    await queryRunner.query(`CREATE TRIGGER cases_search_insert AFTER INSERT ON cases BEGIN ${add} END`);
    // Title and description never change and cases are never deleted; these keep the index right anyway.
    await queryRunner.query(`CREATE TRIGGER cases_search_update AFTER UPDATE OF title, description ON cases BEGIN ${remove} ${add} END`);
    await queryRunner.query(`CREATE TRIGGER cases_search_delete AFTER DELETE ON cases BEGIN ${remove} END`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (isPostgres(queryRunner)) {
      await queryRunner.query('DROP INDEX IF EXISTS idx_cases_title_trgm');
      await queryRunner.query('DROP INDEX IF EXISTS idx_cases_description_trgm');
      await queryRunner.query('DROP TRIGGER IF EXISTS deadlines_next_due ON deadlines');
      await queryRunner.query('DROP FUNCTION IF EXISTS cases_sync_next_due');
    } else {
      for (const operation of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS cases_search_${operation}`);
      }
      await queryRunner.query('DROP TABLE IF EXISTS cases_search');
      for (const operation of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER IF EXISTS deadlines_next_due_${operation}`);
      }
    }
    for (const index of [
      'idx_cases_next_due',
      'idx_cases_occurred',
      'idx_cases_decided',
      'idx_cases_category_created',
      'idx_cases_unit_list',
    ]) {
      await queryRunner.dropIndex('cases', index);
    }
    // Plain ALTER TABLE (SQLite ≥ 3.35 and PostgreSQL): TypeORM's dropColumn rebuilds the table on SQLite, which
    // the foreign keys of deadlines, evidence and audit events refuse once cases exist.
    for (const column of [
      'next_due_at',
      'occurred_at_utc',
      'appeal_decision',
      'appealed',
      'recommended_outcome',
      'nature',
      'motive',
      'intent',
    ]) {
      await queryRunner.query(`ALTER TABLE cases DROP COLUMN ${column}`);
    }
  }
}

const NEXT_DUE_ALL = `UPDATE cases SET next_due_at = (SELECT MIN(due_at) FROM deadlines WHERE deadlines.case_id = cases.id AND status = 'open')
  WHERE id IN (SELECT case_id FROM deadlines WHERE status = 'open')`;

/** Scope first (a unit subtree is a few ranges), then opening time (the default order), then everything filtered or counted. */
const LIST_INDEX = new TableIndex({
  name: 'idx_cases_unit_list',
  columnNames: [
    'unit_id',
    'created_at',
    'id',
    'state',
    'outcome',
    'category',
    'subject_id',
    'updated_at',
    'occurred_at_utc',
    'decided_at',
    'next_due_at',
    'recommended_outcome',
    'overridden',
    'intent',
    'motive',
    'nature',
    'appealed',
    'appeal_decision',
  ],
});

/** The triggers that kept `cases.next_due_at` from 1768000000000 until 1768300000000-next-due-by-commands. */
export async function createNextDueTriggers(queryRunner: QueryRunner): Promise<void> {
  if (isPostgres(queryRunner)) {
    await queryRunner.query(`CREATE FUNCTION cases_sync_next_due() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE target varchar(36);
      BEGIN
        target := CASE WHEN TG_OP = 'DELETE' THEN OLD.case_id ELSE NEW.case_id END;
        UPDATE cases SET next_due_at = (SELECT MIN(due_at) FROM deadlines WHERE case_id = target AND status = 'open') WHERE id = target;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER deadlines_next_due AFTER INSERT OR DELETE OR UPDATE OF status, due_at ON deadlines
      FOR EACH ROW EXECUTE FUNCTION cases_sync_next_due()`);
    return;
  }
  const sync = (ref: 'NEW' | 'OLD') =>
    `UPDATE cases SET next_due_at = (SELECT MIN(due_at) FROM deadlines WHERE case_id = ${ref}.case_id AND status = 'open') WHERE id = ${ref}.case_id;`;
  await queryRunner.query(
    `CREATE TRIGGER deadlines_next_due_insert AFTER INSERT ON deadlines WHEN NEW.status = 'open' BEGIN ${sync('NEW')} END`,
  );
  await queryRunner.query(`CREATE TRIGGER deadlines_next_due_update AFTER UPDATE OF status, due_at ON deadlines
    WHEN OLD.status IS NOT NEW.status OR OLD.due_at IS NOT NEW.due_at BEGIN ${sync('NEW')} END`);
  await queryRunner.query(`CREATE TRIGGER deadlines_next_due_delete AFTER DELETE ON deadlines BEGIN ${sync('OLD')} END`);
}
