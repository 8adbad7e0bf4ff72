import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';

const ref = (name: string) => ({ name, type: 'varchar', length: '36' });

/**
 * Evidence (issue 4): one row per uploaded file of a case; the bytes live outside the database, content
 * addressed by their SHA-256 (evidence/evidence-storage.ts). Explanations may cite evidence ids.
 */
export class Evidence1767800000000 implements MigrationInterface {
  name = 'Evidence1767800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'evidence',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('case_id'),
          { name: 'filename', type: 'varchar', length: '255' },
          { name: 'media_type', type: 'varchar', length: '128' },
          { name: 'size', type: 'integer' },
          { name: 'sha256', type: 'varchar', length: '64' },
          ref('uploaded_by'),
          { name: 'uploader_role', type: 'varchar', length: '16' },
          { name: 'at', type: 'varchar', length: '32' },
          // The case version the upload produced: orders uploads made at the same instant.
          { name: 'case_version', type: 'integer' },
        ],
        foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
        indices: [{ name: 'idx_evidence_case_version', columnNames: ['case_id', 'case_version'] }],
      }),
    );
    await queryRunner.addColumn('cases', new TableColumn({ name: 'explanation_evidence_ids', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('cases', 'explanation_evidence_ids');
    await queryRunner.dropTable('evidence');
  }
}
