import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * Issue 16, evidence limits and the sweep of unreferenced files:
 * - `(uploaded_by, at)`: what one person added in the last hour, all cases together, is a range of it
 *   (evidence/evidence-quota.ts) rather than a scan of every evidence row;
 * - `(sha256)`: the sweep asks, for a batch of stored files, which ones some row still names
 *   (evidence/evidence-sweeper.ts).
 * Both columns never change once a row is written, so uploads only ever add entries.
 */
export class EvidenceLimits1769100000000 implements MigrationInterface {
  name = 'EvidenceLimits1769100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('evidence', new TableIndex({ name: 'idx_evidence_uploader_at', columnNames: ['uploaded_by', 'at'] }));
    await queryRunner.createIndex('evidence', new TableIndex({ name: 'idx_evidence_sha256', columnNames: ['sha256'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('evidence', 'idx_evidence_sha256');
    await queryRunner.dropIndex('evidence', 'idx_evidence_uploader_at');
  }
}
