import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, In, Like } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { hashPassword } from '../auth/password-hasher.js';
import type { Role } from '../workflow/case-types.js';
import { rolesProblem } from './role-rules.js';
import { unitPath } from './unit-path.js';
import { UnitEntity } from './unit.entity.js';
import { UserEntity } from './user.entity.js';

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
      return unit;
    });
  }

  listUnits(): Promise<UnitEntity[]> {
    return this.uow.run((manager) => manager.find(UnitEntity, { order: { path: 'ASC' } }));
  }

  async createUser(input: NewUser): Promise<UserEntity> {
    const problem = rolesProblem(input.roles);
    if (problem) {
      throw DomainError.ruleViolation([{ field: 'roles', message: problem }]);
    }
    // Hash outside the unit of work: argon2 is deliberately slow and must not hold the database queue.
    const passwordHash = await hashPassword(input.password);
    return this.uow.run(async (manager) => {
      if (!(await manager.exists(UnitEntity, { where: { id: input.unitId } }))) {
        throw DomainError.ruleViolation([{ field: 'unitId', message: 'no such unit' }]);
      }
      if (await manager.exists(UserEntity, { where: { username: input.username } })) {
        throw DomainError.conflict('username: already taken');
      }
      const user = manager.create(UserEntity, {
        id: randomUUID(),
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        roles: input.roles,
        unitId: input.unitId,
        createdAt: this.clock.now().toISOString(),
      });
      await manager.insert(UserEntity, user);
      return user;
    });
  }

  listUsers(): Promise<UserEntity[]> {
    return this.uow.run((manager) => manager.find(UserEntity, { order: { username: 'ASC' } }));
  }

  /** Cadres in the caller's unit and below (all units for an admin), optionally matching a name fragment. */
  findCadres(actor: AuthUser, fragment?: string): Promise<UserEntity[]> {
    return this.uow.run(async (manager) => {
      const unitIds = actor.roles.includes('admin') ? null : await DirectoryService.subtreeUnitIds(manager, actor.unitId);
      const needle = fragment?.trim().toLowerCase();
      const users = await manager.find(UserEntity, {
        where: unitIds ? { unitId: In(unitIds) } : {},
        order: { displayName: 'ASC' },
      });
      return users.filter(
        (u) =>
          u.roles.includes('cadre') &&
          (!needle || u.username.toLowerCase().includes(needle) || u.displayName.toLowerCase().includes(needle)),
      );
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
