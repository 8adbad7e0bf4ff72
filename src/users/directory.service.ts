import { randomBytes, randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { cadreSearchUnits } from '../access/scope.js';
import { AccountStates } from '../auth/account-states.js';
import { findByUsername, revokeTokens } from '../auth/auth.service.js';
import type { AuthUser } from '../auth/auth-user.js';
import { hashPassword } from '../auth/password-hasher.js';
import { passwordProblem } from '../auth/password-rules.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { UnitsRepository } from '../repositories/units.repository.js';
import { type CadreSummary, UsersRepository } from '../repositories/users.repository.js';
import type { Role } from '../workflow/case-types.js';
import { childPath } from '../workflow/unit-path.js';
import { rolesProblem } from './role-rules.js';
import type { UnitEntity } from './unit.entity.js';
import type { UserEntity } from './user.entity.js';

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
      const parent = parentId ? await UnitsRepository.find(manager, parentId) : null;
      if (parentId && !parent) {
        throw DomainError.ruleViolation([{ field: 'parentId', message: 'no such unit' }]);
      }
      const id = randomUUID();
      const unit = await UnitsRepository.insert(manager, {
        id,
        name,
        parentId,
        path: childPath(parent?.path ?? null, id),
        createdAt: this.clock.now().toISOString(),
      });
      await this.idempotency.claimIn(manager);
      return unit;
    });
  }

  /** Parents before children (by path); `take` of them from `skip`. */
  listUnits(skip = 0, take?: number): Promise<UnitEntity[]> {
    return this.uow.run((manager) => UnitsRepository.list(manager, skip, take));
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
      if (!(await UnitsRepository.exists(manager, input.unitId))) {
        throw DomainError.ruleViolation([{ field: 'unitId', message: 'no such unit' }]);
      }
      if (await findByUsername(manager, input.username)) {
        throw DomainError.conflict('username: already taken (usernames are compared whatever their case)', 'DUPLICATE');
      }
      const user = await UsersRepository.insert(manager, {
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
      const user = await UsersRepository.find(manager, userId);
      if (!user) {
        throw DomainError.notFound(`user ${userId}`);
      }
      if (patch.unitId !== undefined && !(await UnitsRepository.exists(manager, patch.unitId))) {
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
      await UsersRepository.update(manager, userId, next);
      if (sessionsEnd) {
        await revokeTokens(manager, userId);
      }
      return UsersRepository.findOrFail(manager, userId);
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
      if (!(await UsersRepository.setPassword(manager, userId, passwordHash, true))) {
        throw DomainError.notFound(`user ${userId}`);
      }
      await revokeTokens(manager, userId);
      return UsersRepository.findOrFail(manager, userId);
    });
    this.accounts.forget(userId);
    return { user, temporaryPassword };
  }

  listUsers(skip = 0, take?: number): Promise<UserEntity[]> {
    return this.uow.run((manager) => UsersRepository.list(manager, skip, take));
  }

  /**
   * Cadres in the caller's unit and below (all units for an admin), optionally matching a name fragment, by
   * display name, `take` of them from `skip`: selected in SQL, so a province's cadres never all reach the process.
   */
  findCadres(actor: AuthUser, fragment: string | undefined, skip: number, take: number): Promise<CadreSummary[]> {
    return this.uow.run(async (manager) => {
      const unitIds = await cadreSearchUnits(manager, actor);
      if (unitIds?.length === 0) {
        return [];
      }
      return UsersRepository.findCadres(manager, unitIds, fragment, skip, take);
    });
  }
}
