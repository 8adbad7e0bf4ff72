import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The inbox from index-ordered reads (me/task-query.ts, issue 16): at 1,000,000 cases a province officer's
 * inbox sorted all of their 45,000 tasks for a page of 50 and counted them from the wide idx_cases_open_tasks.
 *
 * - `idx_cases_open_age`: open cases by state in opening order, with what officers' rules read, so that a
 *   page of assessment tasks (which have no time limit) is the first entries of the state that pass the
 *   rules, read in order and cut at the page's end, instead of all of them sorted.
 * - `idx_cases_open_counts`: narrow entries for officers' tasks, `actions_reported` and `action_count` right
 *   after the unit, so that counting and listing the verify and set-actions tasks seeks only their cases
 *   (with `created_at` and `id`, the page never reads a case row; the actions come from idx_actions_status_case).
 *
 * Every WHERE is spelled literally in the queries that read these indexes (SQLite uses a partial index only
 * when a term of the query implies it).
 */
export const INBOX_ORDER_INDEXES = {
  openAge: new TableIndex({
    name: 'idx_cases_open_age',
    columnNames: ['state', 'created_at', 'id', 'unit_id', 'subject_id', 'outcome', 'action_count'],
    where: "state NOT IN ('closed', 'withdrawn')",
  }),
  openCounts: new TableIndex({
    name: 'idx_cases_open_counts',
    columnNames: ['state', 'unit_id', 'actions_reported', 'action_count', 'outcome', 'subject_id', 'created_at', 'id'],
    where: "state NOT IN ('closed', 'withdrawn')",
  }),
};

export class InboxOrder1769500000000 implements MigrationInterface {
  name = 'InboxOrder1769500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('cases', INBOX_ORDER_INDEXES.openAge);
    await queryRunner.createIndex('cases', INBOX_ORDER_INDEXES.openCounts);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', INBOX_ORDER_INDEXES.openCounts);
    await queryRunner.dropIndex('cases', INBOX_ORDER_INDEXES.openAge);
  }
}
