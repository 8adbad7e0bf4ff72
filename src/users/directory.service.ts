import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager, Like } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { likePattern } from '../cases/case-filter.js';
import { hashPassword } from '../auth/password-hasher.js';
import type { Role } from '../workflow/case-types.js';
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

  /** Parents before children (by path); `take` of them from `skip`. */
  listUnits(skip = 0, take?: number): Promise<UnitEntity[]> {
    return this.uow.run((manager) => manager.find(UnitEntity, { order: { path: 'ASC' }, skip, take }));
  }

  async createUser(input: NewUser): Promise<UserEntity> {
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

  listUsers(skip = 0, take?: number): Promise<UserEntity[]> {
    return this.uow.run((manager) => manager.find(UserEntity, { order: { username: 'ASC' }, skip, take }));
  }

  /**
   * Cadres in the caller's unit and below (all units for an admin), optionally matching a name fragment, by
   * display name, `take` of them from `skip`: selected in SQL, so a province's cadres never all reach the process.
   */
  findCadres(actor: AuthUser, fragment: string | undefined, skip: number, take: number): Promise<Array<Pick<UserEntity, 'id' | 'username' | 'displayName' | 'unitId'>>> {
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
