import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Idempotency keys (issue 17): the first answer to a creating command sent with an `Idempotency-Key`, per
 * user, key and route, so that a retry gets that answer instead of a second resource. The row is inserted in
 * the command's own transaction (no answer yet), and the answer is added once it is known
 * (src/idempotency/). Kept 24 hours; `created_at` orders the sweep.
 */
export class IdempotencyKeys1769600000000 implements MigrationInterface {
  name = 'IdempotencyKeys1769600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'idempotency_key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'route', type: 'varchar', length: '300', isPrimary: true },
          { name: 'request_hash', type: 'varchar', length: '64' },
          { name: 'status_code', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'response_headers', type: 'text', isNullable: true },
          { name: 'created_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'idempotency_keys',
      new TableIndex({ name: 'idx_idempotency_keys_created', columnNames: ['created_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('idempotency_keys');
  }
}
