import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { AuthUser } from '../auth/auth-user.js';
import { withinUnit } from '../cases/case-scope.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { runSql } from '../database/sql.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { UserEntity } from '../users/user.entity.js';
import { ConflictEntity } from './conflict.entity.js';
import type { DeclareConflictDto } from './conflicts.dto.js';

/**
 * One answer for an id that is no cadre and for a cadre out of the declarer's reach, so that the route
 * tells nobody whether an id outside their units is a cadre.
 */
const noCadreInReach = () =>
  DomainError.ruleViolation([{ field: 'subjectId', message: 'no cadre with this id whose cases this user could act on' }]);

/** Recusal (回避): a declared conflict keeps a user off a cadre's cases, open and future. */
@Injectable()
export class ConflictsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdempotencyStore) private readonly idempotency: IdempotencyStore,
  ) {}

  /**
   * A conflict is recorded only for a user who could act on the cadre's cases — an officer or leader whose
   * unit subtree holds the cadre's unit or the unit of one of their cases — declared by that user, or by an
   * admin. Anyone else could otherwise write a free-text reason into the case views of any cadre anywhere.
   */
  declare(actor: AuthUser, input: DeclareConflictDto): Promise<ConflictEntity> {
    const isAdmin = actor.roles.includes('admin');
    if (input.userId !== actor.id && !isAdmin) {
      throw DomainError.forbidden('you may declare only your own conflicts; an admin records others’', 'ROLE');
    }
    if (input.userId === input.subjectId) {
      throw DomainError.ruleViolation([{ field: 'subjectId', message: 'a cadre cannot be recused from their own case' }]);
    }
    return this.uow.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: input.userId } });
      if (!user) {
        throw DomainError.ruleViolation([{ field: 'userId', message: 'no such user' }]);
      }
      if (!user.roles.includes('officer') && !user.roles.includes('leader')) {
        // Said from the roles alone: it reveals nothing about the subject.
        throw isAdmin
          ? DomainError.ruleViolation([{ field: 'userId', message: 'only officers and leaders act on cases, so only they can be recused' }])
          : DomainError.forbidden('only officers and leaders act on cases, so only they declare conflicts (回避)', 'ROLE');
      }
      const subject = await manager.findOne(UserEntity, { where: { id: input.subjectId } });
      if (!subject?.roles.includes('cadre') || !(await reaches(manager, user.unitId, subject))) {
        throw noCadreInReach();
      }
      if (await manager.exists(ConflictEntity, { where: { userId: input.userId, subjectId: input.subjectId } })) {
        throw DomainError.conflict('this conflict is already recorded', 'DUPLICATE');
      }
      const conflict = manager.create(ConflictEntity, {
        id: randomUUID(),
        userId: input.userId,
        subjectId: input.subjectId,
        reason: input.reason,
        recordedBy: actor.id,
        createdAt: this.clock.now().toISOString(),
      });
      await manager.insert(ConflictEntity, conflict);
      await this.idempotency.claimIn(manager);
      return conflict;
    });
  }

  /** Admins see every declared conflict; others see their own. Newest first, `take` of them from `skip`. */
  list(actor: AuthUser, skip = 0, take?: number): Promise<ConflictEntity[]> {
    return this.uow.read((manager) =>
      manager.find(ConflictEntity, {
        where: actor.roles.includes('admin') ? {} : { userId: actor.id },
        order: { createdAt: 'DESC', id: 'ASC' },
        skip,
        take,
      }),
    );
  }
}

/**
 * Whether a user of `unitId` could act on the cadre's cases: the cadre's unit (where new cases open) or
 * the unit of one of their cases (a case stays where it was opened) lies in that unit's subtree.
 */
async function reaches(manager: EntityManager, unitId: string, cadre: UserEntity): Promise<boolean> {
  const { rows } = await runSql<{ unit_id: string }>(manager, 'SELECT DISTINCT unit_id FROM cases WHERE subject_id = ?', [cadre.id]);
  for (const unit of new Set([cadre.unitId, ...rows.map((row) => row.unit_id)])) {
    if (await withinUnit(manager, unit, unitId)) {
      return true;
    }
  }
  return false;
}
