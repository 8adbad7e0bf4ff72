import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes over only the rows their queries ask for (SQLite and PostgreSQL both have partial indexes).
 *
 * Deadlines are looked up only while open (the sweeper's due ones, a case's own), and most rows are
 * closed or fired soon after they are written. Partial indexes over open rows (SQLite and PostgreSQL
 * both have them) stay small however long the history grows, and closing a deadline only removes its
 * entries instead of moving them: fewer pages written per command, which is what a durable commit pays
 * for. The queries name `status = 'open'` literally, which is what lets both planners use them.
 *
 * The repeat-error look-up reads only tolerated cases of a cadre and category; indexing just those means
 * a decision of any other outcome writes no entry at all, and a case no longer moves in the index as it
 * goes from undecided to decided.
 */
export class PartialIndexes1767900000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_subject_category');
    await queryRunner.createIndex(
      'cases',
      new TableIndex({ name: 'idx_cases_tolerated', columnNames: ['subject_id', 'category', 'decided_at'], where: "outcome = 'tolerate'" }),
    );
    await queryRunner.dropIndex('deadlines', 'idx_deadlines_status_due');
    await queryRunner.dropIndex('deadlines', 'idx_deadlines_case_status');
    await queryRunner.dropIndex('deadlines', 'idx_deadlines_action');
    await queryRunner.createIndex(
      'deadlines',
      new TableIndex({ name: 'idx_deadlines_open_due', columnNames: ['due_at'], where: "status = 'open'" }),
    );
    await queryRunner.createIndex(
      'deadlines',
      new TableIndex({ name: 'idx_deadlines_open_case', columnNames: ['case_id', 'due_at'], where: "status = 'open'" }),
    );
    await queryRunner.createIndex(
      'deadlines',
      new TableIndex({ name: 'idx_deadlines_open_action', columnNames: ['action_id'], where: "status = 'open' AND action_id IS NOT NULL" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_tolerated');
    await queryRunner.createIndex(
      'cases',
      new TableIndex({ name: 'idx_cases_subject_category', columnNames: ['subject_id', 'category', 'outcome', 'decided_at'] }),
    );
    await queryRunner.dropIndex('deadlines', 'idx_deadlines_open_due');
    await queryRunner.dropIndex('deadlines', 'idx_deadlines_open_case');
    await queryRunner.dropIndex('deadlines', 'idx_deadlines_open_action');
    await queryRunner.createIndex('deadlines', new TableIndex({ name: 'idx_deadlines_status_due', columnNames: ['status', 'due_at'] }));
    await queryRunner.createIndex(
      'deadlines',
      new TableIndex({ name: 'idx_deadlines_case_status', columnNames: ['case_id', 'status', 'due_at'] }),
    );
    await queryRunner.createIndex('deadlines', new TableIndex({ name: 'idx_deadlines_action', columnNames: ['action_id'] }));
  }
}
