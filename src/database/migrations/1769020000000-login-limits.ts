import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Failed-login counters shared by every instance (auth/login-throttle.ts): one row per key, a key being a
 * (username, client address) pair or a client address alone. `expires_at` is when the row means nothing
 * any more (a window without failures has passed and its delay is over); rows past it are deleted, through
 * the index. Written through the unit of work like every other table.
 */
export class LoginLimits1769020000000 implements MigrationInterface {
  name = 'LoginLimits1769020000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'login_limits',
        columns: [
          { name: 'key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'failures', type: 'integer' },
          { name: 'last_failure_at', type: 'varchar', length: '32' },
          { name: 'blocked_until', type: 'varchar', length: '32', isNullable: true },
          { name: 'expires_at', type: 'varchar', length: '32' },
        ],
        indices: [{ name: 'idx_login_limits_expires', columnNames: ['expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('login_limits');
  }
}
