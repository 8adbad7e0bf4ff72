import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const timestamp = (name: string, nullable = false) => ({ name, type: 'varchar', length: '32', isNullable: nullable });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });

/**
 * Portable column types only (varchar, text, integer, boolean) so the same migration runs on SQLite
 * and PostgreSQL. Timestamps are ISO 8601 UTC strings.
 */
export class InitialSchema1767600000000 implements MigrationInterface {
  name = 'InitialSchema1767600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'units',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '200' },
          ref('parent_id', true),
          { name: 'path', type: 'varchar', length: '2000' },
          timestamp('created_at'),
        ],
        foreignKeys: [{ columnNames: ['parent_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
        indices: [{ name: 'idx_units_path', columnNames: ['path'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id,
          { name: 'username', type: 'varchar', length: '100', isUnique: true },
          { name: 'display_name', type: 'varchar', length: '200' },
          { name: 'password_hash', type: 'varchar', length: '255' },
          { name: 'roles', type: 'text' },
          ref('unit_id'),
          timestamp('created_at'),
        ],
        foreignKeys: [{ columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'cases',
        columns: [
          id,
          { name: 'state', type: 'varchar', length: '32' },
          { name: 'outcome', type: 'varchar', length: '32', isNullable: true },
          { name: 'recommendation', type: 'text', isNullable: true },
          { name: 'overridden', type: 'boolean', default: false },
          ref('subject_id'),
          ref('unit_id'),
          ref('opened_by'),
          { name: 'title', type: 'varchar', length: '300' },
          { name: 'description', type: 'text' },
          { name: 'category', type: 'varchar', length: '100' },
          { name: 'source', type: 'varchar', length: '32' },
          { name: 'occurred_at', type: 'varchar', length: '32' },
          { name: 'policy_id', type: 'varchar', length: '64' },
          { name: 'policy_version', type: 'integer' },
          { name: 'machine_version', type: 'integer' },
          { name: 'snapshot', type: 'text' },
          { name: 'explanation', type: 'text', isNullable: true },
          { name: 'assessment', type: 'text', isNullable: true },
          { name: 'assessor_ids', type: 'text' },
          { name: 'reviewer_ids', type: 'text' },
          { name: 'review', type: 'text', isNullable: true },
          timestamp('decided_at', true),
          { name: 'version', type: 'integer' },
          timestamp('created_at'),
          timestamp('updated_at'),
        ],
        foreignKeys: [
          { columnNames: ['subject_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { columnNames: ['opened_by'], referencedTableName: 'users', referencedColumnNames: ['id'] },
          { columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await queryRunner.createIndices('cases', [
      new TableIndex({ name: 'idx_cases_unit_state', columnNames: ['unit_id', 'state'] }),
      new TableIndex({ name: 'idx_cases_subject', columnNames: ['subject_id'] }),
      new TableIndex({ name: 'idx_cases_state_outcome', columnNames: ['state', 'outcome'] }),
      new TableIndex({ name: 'idx_cases_created', columnNames: ['created_at'] }),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          id,
          ref('case_id'),
          { name: 'seq', type: 'integer' },
          { name: 'type', type: 'varchar', length: '64' },
          { name: 'actor_id', type: 'varchar', length: '36' },
          { name: 'actor_role', type: 'varchar', length: '16' },
          timestamp('at'),
          { name: 'data', type: 'text' },
          { name: 'machine_version', type: 'integer' },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'hash', type: 'varchar', length: '64' },
        ],
        foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
        // One event per (case, seq): a forked chain is impossible at the database level.
        indices: [{ name: 'uq_audit_case_seq', columnNames: ['case_id', 'seq'], isUnique: true }],
      }),
    );
    await this.forbidAuditRewrites(queryRunner);
  }

  /** Defence in depth: even a stray UPDATE or DELETE through the application's connection is refused. */
  private async forbidAuditRewrites(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$`);
      await queryRunner.query(`CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
      return;
    }
    for (const operation of ['UPDATE', 'DELETE']) {
      await queryRunner.query(`CREATE TRIGGER audit_events_no_${operation.toLowerCase()} BEFORE ${operation} ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP TRIGGER IF EXISTS audit_events_no_update ON audit_events');
      await queryRunner.query('DROP FUNCTION IF EXISTS audit_events_append_only');
    }
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('cases');
    await queryRunner.dropTable('users');
    await queryRunner.dropTable('units');
  }
}
