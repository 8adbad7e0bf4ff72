import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The inbox in SQL (me/task-query.ts, issue 16). Open cases only — a partial index, so the 85 % of cases that
 * are closed or withdrawn cost nothing — with every column the inbox's rules read (state and outcome, scope,
 * subject, separation of duties, order), so counting a province's tasks never reads a case row. Its WHERE is
 * spelled in every inbox query (OPEN_CASE_TERM): SQLite uses a partial index only from a literal term.
 * Corrective actions by status serve the report and verify tasks; notifications by (user, read) the unread count.
 */
const OPEN_TASKS = new TableIndex({
  name: 'idx_cases_open_tasks',
  columnNames: ['state', 'unit_id', 'subject_id', 'outcome', 'created_at', 'id', 'opened_by', 'assessor_ids', 'reviewer_ids'],
  where: "state NOT IN ('closed', 'withdrawn')",
});
const ACTIONS_BY_STATUS = new TableIndex({ name: 'idx_actions_status_case', columnNames: ['status', 'case_id', 'due_at', 'created_at', 'id'] });
const NOTIFICATIONS_UNREAD = new TableIndex({ name: 'idx_notifications_user_read', columnNames: ['user_id', 'read_at', 'created_at'] });

export class InboxIndexes1769300000000 implements MigrationInterface {
  name = 'InboxIndexes1769300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('cases', OPEN_TASKS);
    await queryRunner.createIndex('corrective_actions', ACTIONS_BY_STATUS);
    await queryRunner.createIndex('notifications', NOTIFICATIONS_UNREAD);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('notifications', NOTIFICATIONS_UNREAD);
    await queryRunner.dropIndex('corrective_actions', ACTIONS_BY_STATUS);
    await queryRunner.dropIndex('cases', OPEN_TASKS);
  }
}
