import type { EntityManager } from 'typeorm';

import { likePattern } from '../cases/case-filter.js';
import type { ReadStatement } from '../database/read-pool.js';
import { parseJson, runSql } from '../database/sql.js';
import { UserEntity } from '../users/user.entity.js';
import type { Role } from '../workflow/case-types.js';
import { namesStatement } from './units.repository.js';

export type CadreSummary = Pick<UserEntity, 'id' | 'username' | 'displayName' | 'unitId'>;

/** The `users` table: accounts, their roles and their unit. */
export class UsersRepository {
  static find(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id } });
  }

  static findOrFail(manager: EntityManager, id: string): Promise<UserEntity> {
    return manager.findOneOrFail(UserEntity, { where: { id } });
  }

  /** Whether any account exists (an empty database gets its first admin). */
  static any(manager: EntityManager): Promise<boolean> {
    return manager.exists(UserEntity);
  }

  static async insert(manager: EntityManager, user: UserEntity): Promise<UserEntity> {
    const row = manager.create(UserEntity, user);
    await manager.insert(UserEntity, row);
    return row;
  }

  static async update(
    manager: EntityManager,
    id: string,
    fields: Partial<Pick<UserEntity, 'roles' | 'unitId' | 'displayName' | 'disabled'>>,
  ): Promise<void> {
    await manager.update(UserEntity, { id }, fields);
  }

  /** A new password hash, and whether the account must change it first; false when there is no such user. */
  static async setPassword(manager: EntityManager, id: string, passwordHash: string, mustChange: boolean): Promise<boolean> {
    const { affected } = await runSql(manager, 'UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?', [
      passwordHash,
      mustChange,
      id,
    ]);
    return affected > 0;
  }

  /** By username; `take` of them from `skip`. */
  static list(manager: EntityManager, skip: number, take?: number): Promise<UserEntity[]> {
    return manager.find(UserEntity, { order: { username: 'ASC' }, skip, take });
  }

  /** Username and roles of the accounts holding the admin role. */
  static async admins(manager: EntityManager): Promise<Array<{ username: string; roles: Role[] }>> {
    const { rows } = await runSql<{ username: string; roles: string }>(
      manager,
      `SELECT username, roles FROM users WHERE roles LIKE '%"admin"%'`,
    );
    return rows.map((row) => ({ username: row.username, roles: JSON.parse(row.roles) as Role[] }));
  }

  /** Ids of the users of these units who hold `role`. */
  static async idsWithRoleIn(manager: EntityManager, unitIds: readonly string[], role: Role): Promise<string[]> {
    if (unitIds.length === 0) {
      return [];
    }
    const users = await runSql<{ id: string; roles: string }>(
      manager,
      `SELECT id, roles FROM users WHERE unit_id IN (${unitIds.map(() => '?').join(', ')})`,
      [...unitIds],
    );
    return users.rows.filter((u) => parseJson<Role[]>(u.roles).includes(role)).map((u) => u.id);
  }

  /**
   * Cadres in these units (every unit when null), optionally matching a name fragment, by display name,
   * `take` of them from `skip`: selected in SQL, so a province's cadres never all reach the process.
   */
  static async findCadres(
    manager: EntityManager,
    unitIds: readonly string[] | null,
    fragment: string | undefined,
    skip: number,
    take: number,
  ): Promise<CadreSummary[]> {
    const needle = fragment?.trim().toLowerCase();
    const terms = [`roles LIKE '%"cadre"%'`];
    const params: unknown[] = [];
    if (unitIds) {
      terms.push(`unit_id IN (${unitIds.map(() => '?').join(', ')})`);
      params.push(...unitIds);
    }
    if (needle) {
      // LOWER folds ASCII on SQLite; names are compared lower-cased on both sides, as before.
      terms.push("(LOWER(username) LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? ESCAPE '\\')");
      params.push(likePattern(needle), likePattern(needle));
    }
    const { rows } = await runSql<{ id: string; username: string; display_name: string; unit_id: string }>(
      manager,
      `SELECT id, username, display_name, unit_id FROM users WHERE ${terms.join(' AND ')} ORDER BY display_name, id LIMIT ? OFFSET ?`,
      [...params, take, skip],
    );
    return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, unitId: r.unit_id }));
  }

  /** Display names by id, as a statement for a reader thread (database/read-pool.ts): rows of `id, name`. */
  static displayNamesRead(ids: readonly string[]): ReadStatement {
    return namesStatement('users', 'display_name', ids);
  }
}
