import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Usernames are unique whatever their case (issue 16): `Officer` may not exist beside `officer`, and login
 * finds a user by `lower(username) = lower(?)`, which this index serves on both engines. Usernames are ASCII
 * (users.dto.ts), where SQLite's and PostgreSQL's lower() agree.
 *
 * A database that already holds such a pair cannot get the index, and no migration can know which of the
 * two accounts is the real one, so it stops with the names: rename one of them (operations.md) and start
 * again. Nothing is changed before that check.
 */
export class UsernameCase1769010000000 implements MigrationInterface {
  name = 'UsernameCase1769010000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const clashes = (await queryRunner.query(
      'SELECT lower(username) AS name FROM users GROUP BY lower(username) HAVING COUNT(*) > 1 ORDER BY 1',
    )) as Array<{ name: string }>;
    if (clashes.length > 0) {
      const names = clashes.map((row) => row.name).join(', ');
      throw new Error(
        `usernames that differ only in case exist (${names}): rename all but one of each ` +
          `(UPDATE users SET username = '…' WHERE id = '…') and start again; see docs/operations.md`,
      );
    }
    await queryRunner.query('CREATE UNIQUE INDEX idx_users_username_lower ON users (lower(username))');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX idx_users_username_lower');
  }
}
