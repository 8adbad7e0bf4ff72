import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const timestamp = (name: string, nullable = false) => ({ name, type: 'varchar', length: '32', isNullable: nullable });
const text = (name: string, nullable = false) => ({ name, type: 'text', isNullable: nullable });
const caseRef = { columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] };

/**
 * The whole life of a case (issue 3): durable deadlines, corrective actions, declared conflicts (回避),
 * notifications (an outbox written in the command's transaction), the access log of refusals, and the
 * case columns for appeals and name clearing.
 */
export class CaseLife1767700000000 implements MigrationInterface {
  name = 'CaseLife1767700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('cases', [
      new TableColumn({ name: 'appeal', type: 'text', isNullable: true }),
      new TableColumn({ name: 'name_cleared', type: 'boolean', default: false }),
      new TableColumn({ name: 'closed_at', type: 'varchar', length: '32', isNullable: true }),
    ]);
    // Repeat errors: earlier tolerated cases of one cadre and category, by decision time.
    await queryRunner.createIndex(
      'cases',
      new TableIndex({ name: 'idx_cases_subject_category', columnNames: ['subject_id', 'category', 'outcome', 'decided_at'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'deadlines',
        columns: [
          id,
          ref('case_id'),
          { name: 'kind', type: 'varchar', length: '32' },
          ref('action_id', true),
          timestamp('due_at'),
          { name: 'status', type: 'varchar', length: '16' },
          timestamp('created_at'),
          timestamp('resolved_at', true),
        ],
        foreignKeys: [caseRef],
        indices: [
          // The sweeper's query: open deadlines by due time.
          { name: 'idx_deadlines_status_due', columnNames: ['status', 'due_at'] },
          // A case's open deadlines in due order. Without this index SQLite picks (status, due_at) for
          // "case_id = ? AND status = 'open' ORDER BY due_at" and scans every open deadline.
          { name: 'idx_deadlines_case_status', columnNames: ['case_id', 'status', 'due_at'] },
          { name: 'idx_deadlines_action', columnNames: ['action_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'corrective_actions',
        columns: [
          id,
          ref('case_id'),
          text('description'),
          { name: 'status', type: 'varchar', length: '16' },
          timestamp('due_at'),
          ref('created_by'),
          timestamp('created_at'),
          text('report_note', true),
          timestamp('reported_at', true),
          text('verify_note', true),
          ref('verified_by', true),
          timestamp('verified_at', true),
          timestamp('updated_at'),
        ],
        foreignKeys: [caseRef],
        indices: [{ name: 'idx_actions_case', columnNames: ['case_id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'conflicts',
        columns: [id, ref('user_id'), ref('subject_id'), text('reason'), ref('recorded_by'), timestamp('created_at')],
        foreignKeys: [
          { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { columnNames: ['subject_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        ],
        indices: [
          { name: 'uq_conflicts_user_subject', columnNames: ['user_id', 'subject_id'], isUnique: true },
          { name: 'idx_conflicts_subject', columnNames: ['subject_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notifications',
        columns: [
          id,
          ref('user_id'),
          ref('case_id', true),
          { name: 'kind', type: 'varchar', length: '48' },
          text('message'),
          timestamp('created_at'),
          timestamp('read_at', true),
        ],
        indices: [{ name: 'idx_notifications_user', columnNames: ['user_id', 'created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'access_log',
        columns: [id, ref('case_id'), ref('user_id'), { name: 'action', type: 'varchar', length: '48' }, text('reason'), timestamp('at')],
        indices: [{ name: 'idx_access_log_case', columnNames: ['case_id', 'at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['access_log', 'notifications', 'conflicts', 'corrective_actions', 'deadlines']) {
      await queryRunner.dropTable(table);
    }
    await queryRunner.dropIndex('cases', 'idx_cases_subject_category');
    await queryRunner.dropColumn('cases', 'closed_at');
    await queryRunner.dropColumn('cases', 'name_cleared');
    await queryRunner.dropColumn('cases', 'appeal');
  }
}
