import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** The list index's columns that only the summary read; it reads idx_cases_summary since 1768500000000. */
const SUMMARY_ONLY = ['recommended_outcome', 'overridden', 'intent', 'motive', 'nature', 'appealed', 'appeal_decision'];
const LISTED = [
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
];

const listIndex = (columnNames: string[]) => new TableIndex({ name: 'idx_cases_unit_list', columnNames });

/**
 * idx_cases_unit_list keeps what lists filter, sort and count by (scope, opening time, id, state, outcome,
 * category, subject, the dates, next_due_at). The summary's grouping attributes leave it: every list
 * count reads a third less of it, and an assessment or a decision, which rewrites the case's entry, writes
 * a third less.
 */
export class NarrowListIndex1768600000000 implements MigrationInterface {
  name = 'NarrowListIndex1768600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_unit_list');
    await queryRunner.createIndex('cases', listIndex(LISTED));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_unit_list');
    await queryRunner.createIndex('cases', listIndex([...LISTED, ...SUMMARY_ONLY]));
  }
}
