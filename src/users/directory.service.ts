import { randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, Like } from 'typeorm';

import { AccountStates } from '../auth/account-states.js';
import { findByUsername, revokeTokens } from '../auth/auth.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { hashPassword } from '../auth/password-hasher.js';
import { passwordProblem } from '../auth/password-rules.js';
import { likePattern } from '../cases/case-filter.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import type { Role } from '../workflow/case-types.js';
import { rolesProblem } from './role-rules.js';
import { UnitEntity } from './unit.entity.js';
import { unitPath } from './unit-path.js';
import { UserEntity } from './user.entity.js';

export interface UserPatch {
  roles?: Role[];
  unitId?: string;
  displayName?: string;
  disabled?: boolean;
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  roles: Role[];
  unitId: string;
}

/** Units and users: the organisation the cases live in. */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AccountStates) private readonly accounts: AccountStates,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  createUnit(name: string, parentId: string | null): Promise<UnitEntity> {
    return this.uow.run(async (manager) => {
      const parent = parentId ? await manager.findOne(UnitEntity, { where: { id: parentId } }) : null;
      if (parentId && !parent) {
        throw DomainError.ruleViolation([{ field: 'parentId', message: 'no such unit' }]);
      }
      const id = randomUUID();
      const unit = manager.create(UnitEntity, {
        id,
        name,
        parentId,
        path: `${parent?.path ?? '/'}${id}/`,
        createdAt: this.clock.now().toISOString(),
      });
      await manager.insert(UnitEntity, unit);
      await this.idempotency.claimIn(manager);
      return unit;
    });
  }

  /** Parents before children (by path); `take` of them from `skip`. */
  listUnits(skip = 0, take?: number): Promise<UnitEntity[]> {
    return this.uow.run((manager) => manager.find(UnitEntity, { order: { path: 'ASC' }, skip, take }));
  }

  /**
   * `passwordRules: false` only for the demo seed, whose passwords are public anyway (README); every other
   * path — the first admin, POST /users — applies them.
   */
  async createUser(input: NewUser, options: { passwordRules?: boolean } = {}): Promise<UserEntity> {
    const problem = rolesProblem(input.roles);
    if (problem) {
      throw DomainError.ruleViolation([{ field: 'roles', message: problem }]);
    }
    const weak = options.passwordRules === false ? null : passwordProblem(input.password, input.username, [input.displayName]);
    if (weak) {
      throw DomainError.ruleViolation([{ field: 'password', message: weak }]);
    }
    // Hash outside the unit of work: argon2 is deliberately slow and must not hold the database queue.
    const passwordHash = await hashPassword(input.password);
    return this.uow.run(async (manager) => {
      if (!(await manager.exists(UnitEntity, { where: { id: input.unitId } }))) {
        throw DomainError.ruleViolation([{ field: 'unitId', message: 'no such unit' }]);
      }
      if (await findByUsername(manager, input.username)) {
        throw DomainError.conflict('username: already taken (usernames are compared whatever their case)', 'DUPLICATE');
      }
      const user = manager.create(UserEntity, {
        id: randomUUID(),
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        roles: input.roles,
        unitId: input.unitId,
        createdAt: this.clock.now().toISOString(),
        disabled: false,
        mustChangePassword: false,
        tokenGeneration: 0,
      });
      await manager.insert(UserEntity, user);
      await this.idempotency.claimIn(manager);
      return user;
    });
  }

  /**
   * An admin's change to an account. A change of roles, unit or `disabled` ends the account's sessions
   * (its token generation is raised); a display name alone does not. An admin cannot disable their own
   * account or drop their own admin role, so one enabled admin always remains.
   */
  async updateUser(actor: AuthUser, userId: string, patch: UserPatch): Promise<UserEntity> {
    if (Object.values(patch).every((value) => value === undefined)) {
      throw DomainError.validation([{ field: 'body', message: 'name at least one of roles, unitId, displayName, disabled' }]);
    }
    const problem = patch.roles && rolesProblem(patch.roles);
    if (problem) {
      throw DomainError.ruleViolation([{ field: 'roles', message: problem }]);
    }
    if (userId === actor.id && patch.disabled === true) {
      throw DomainError.ruleViolation([{ field: 'disabled', message: 'you cannot disable your own account' }]);
    }
    if (userId === actor.id && patch.roles && !patch.roles.includes('admin')) {
      throw DomainError.ruleViolation([{ field: 'roles', message: 'you cannot remove your own admin role' }]);
    }
    const updated = await this.uow.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: userId } });
      if (!user) {
        throw DomainError.notFound(`user ${userId}`);
      }
      if (patch.unitId !== undefined && !(await manager.exists(UnitEntity, { where: { id: patch.unitId } }))) {
        throw DomainError.ruleViolation([{ field: 'unitId', message: 'no such unit' }]);
      }
      const next = {
        roles: patch.roles ?? user.roles,
        unitId: patch.unitId ?? user.unitId,
        displayName: patch.displayName ?? user.displayName,
        disabled: patch.disabled ?? user.disabled,
      };
      const sessionsEnd =
        next.unitId !== user.unitId ||
        next.disabled !== user.disabled ||
        next.roles.length !== user.roles.length ||
        next.roles.some((r) => !user.roles.includes(r));
      await manager.update(UserEntity, { id: userId }, next);
      if (sessionsEnd) {
        await revokeTokens(manager, userId);
      }
      return manager.findOneOrFail(UserEntity, { where: { id: userId } });
    });
    this.accounts.forget(userId);
    return updated;
  }

  /**
   * An admin's password reset: a generated password, shown once in the answer, never stored in clear and
   * never chosen by the admin. The account must change it before it can do anything else, and every token
   * it held stops working.
   */
  async resetPassword(userId: string): Promise<{ user: UserEntity; temporaryPassword: string }> {
    const temporaryPassword = randomBytes(15).toString('base64url');
    const passwordHash = await hashPassword(temporaryPassword);
    const user = await this.uow.run(async (manager) => {
      const { affected } = await runSql(manager, 'UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?', [
        passwordHash,
        true,
        userId,
      ]);
      if (affected === 0) {
        throw DomainError.notFound(`user ${userId}`);
      }
      await revokeTokens(manager, userId);
      return manager.findOneOrFail(UserEntity, { where: { id: userId } });
    });
    this.accounts.forget(userId);
    return { user, temporaryPassword };
  }

  listUsers(skip = 0, take?: number): Promise<UserEntity[]> {
    return this.uow.run((manager) => manager.find(UserEntity, { order: { username: 'ASC' }, skip, take }));
  }

  /**
   * Cadres in the caller's unit and below (all units for an admin), optionally matching a name fragment, by
   * display name, `take` of them from `skip`: selected in SQL, so a province's cadres never all reach the process.
   */
  findCadres(
    actor: AuthUser,
    fragment: string | undefined,
    skip: number,
    take: number,
  ): Promise<Array<Pick<UserEntity, 'id' | 'username' | 'displayName' | 'unitId'>>> {
    return this.uow.run(async (manager) => {
      const unitIds = actor.roles.includes('admin') ? null : await DirectoryService.subtreeUnitIds(manager, actor.unitId);
      if (unitIds?.length === 0) {
        return [];
      }
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
    });
  }

  /** Ids of a unit and all units below it: the reach of its officers and leaders. */
  static async subtreeUnitIds(manager: EntityManager, unitId: string): Promise<string[]> {
    const path = await unitPath(manager, unitId);
    if (path === null) {
      return [];
    }
    const units = await manager.find(UnitEntity, { where: { path: Like(`${path}%`) }, select: { id: true } });
    return units.map((u) => u.id);
  }
}
