import type { EntityManager } from 'typeorm';

import { runSql } from '../database/sql.js';
import { UserEntity } from '../users/user.entity.js';

/** The columns of a user the token guard compares a token with (auth/account-states.ts). */
export interface AccountRow {
  roles: string;
  unit_id: string;
  disabled: boolean | number;
  must_change_password: boolean | number;
  token_generation: number;
}

/**
 * Auth's view of the `users` table: logging in, the account behind a token, password changes and token
 * revocation. The directory's own reads and writes of users (create, change, list) are in users.repository.ts.
 */
export class AccountsRepository {
  /** Usernames are compared whatever their case (the unique index on lower(username) serves this). */
  static findByUsername(manager: EntityManager, username: string): Promise<UserEntity | null> {
    return manager.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.username) = lower(:username)', { username }).getOne();
  }

  static findById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id } });
  }

  static getById(manager: EntityManager, id: string): Promise<UserEntity> {
    return manager.findOneOrFail(UserEntity, { where: { id } });
  }

  /** Read by primary key, once per active user per ACCOUNT_CACHE_MS (auth/account-states.ts). */
  static async stateOf(manager: EntityManager, userId: string): Promise<AccountRow | undefined> {
    const { rows } = await runSql<AccountRow>(
      manager,
      'SELECT roles, unit_id, disabled, must_change_password, token_generation FROM users WHERE id = ?',
      [userId],
    );
    return rows[0];
  }

  /** The account's own new password: an admin's "must change" mark goes with the old one. */
  static async replacePassword(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await runSql(manager, 'UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?', [passwordHash, false, userId]);
  }

  /** Raises the account's token generation: every token issued before stops working (auth.guard.ts). */
  static raiseTokenGeneration(manager: EntityManager, userId: string) {
    return runSql(manager, 'UPDATE users SET token_generation = token_generation + 1 WHERE id = ?', [userId]);
  }
}
