import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** Indexes that only PostgreSQL still reads (it counts cases by unit and state through them). */
const RETIRED = [
  new TableIndex({ name: 'idx_cases_unit_state', columnNames: ['unit_id', 'state'] }),
  new TableIndex({ name: 'idx_cases_state_outcome', columnNames: ['state', 'outcome'] }),
  new TableIndex({ name: 'idx_cases_decided', columnNames: ['decided_at', 'created_at'] }),
];

/**
 * SQLite only: three indexes of the first schema that every decision rewrote and nothing needs any more.
 * Lists read idx_cases_unit_list, the summary idx_cases_summary, totals case_counts (1768700000000). What
 * still chose them was slower with them, measured on 1,000,000 cases (docs/performance.md): the inbox's
 * cases of a province's 190 units 0.8 s with idx_cases_unit_state, 0.55 s from the covering list index
 * without it; an administrator's list of one state, over every unit, 0.1–7 s through idx_cases_state_outcome
 * and a sort, 0.17 s without. Each was an entry moved by every change of state (or decision), on the path
 * `npm run bench` measures: a transition's CPU fell by a tenth without the three.
 */
export class SqliteStateIndexes1768800000000 implements MigrationInterface {
  name = 'SqliteStateIndexes1768800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      return;
    }
    for (const index of RETIRED) {
      await queryRunner.query(`DROP INDEX IF EXISTS "${index.name}"`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      return;
    }
    await queryRunner.createIndices('cases', RETIRED);
  }
}
