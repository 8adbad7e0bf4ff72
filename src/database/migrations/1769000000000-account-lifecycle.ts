import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account lifecycle (issue 16): an account can be disabled, its tokens revoked, and a password reset by an
 * admin must be changed by its owner. `token_generation` is written into every token (`gen`) and raised by
 * anything that must end the account's sessions (logout, password change or reset, disabling, a change of
 * roles or unit); the guard refuses a token whose generation is not the current one (auth/account-check.ts).
 * Plain `ALTER TABLE … ADD COLUMN` on both engines: TypeORM's addColumn rebuilds a SQLite table by copying it.
 */
export class AccountLifecycle1769000000000 implements MigrationInterface {
  name = 'AccountLifecycle1769000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const no = queryRunner.connection.options.type === 'postgres' ? 'false' : '0';
    await queryRunner.query(`ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT ${no}`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT ${no}`);
    await queryRunner.query('ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const column of ['token_generation', 'must_change_password', 'disabled']) {
      await queryRunner.query(`ALTER TABLE users DROP COLUMN ${column}`);
    }
  }
}
