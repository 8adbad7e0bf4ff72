import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Tokens ended by POST /auth/logout before they expire (issue 16), by their `jti`. The guard reads an
 * account's unexpired rows together with the account (auth/account-states.ts), through the index; a row is
 * deleted once its token has expired, since the token is refused for its expiry then anyway.
 */
export class RevokedTokens1769030000000 implements MigrationInterface {
  name = 'RevokedTokens1769030000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'revoked_tokens',
        columns: [
          { name: 'jti', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36' },
          { name: 'expires_at', type: 'varchar', length: '32' },
        ],
        indices: [{ name: 'idx_revoked_tokens_user', columnNames: ['user_id', 'expires_at'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('revoked_tokens');
  }
}
