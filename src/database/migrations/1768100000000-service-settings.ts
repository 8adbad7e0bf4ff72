import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Settings the service generates for itself and every instance must share, such as the token-signing
 * secret when JWT_SECRET is not set (auth/jwt-secret.ts). In the database, not a file beside it, so
 * several instances on one PostgreSQL agree without extra configuration.
 */
export class ServiceSettings1768100000000 implements MigrationInterface {
  name = 'ServiceSettings1768100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'service_settings',
        columns: [
          { name: 'key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'text' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('service_settings');
  }
}
