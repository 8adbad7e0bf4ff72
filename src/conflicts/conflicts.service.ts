import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { reachesCadre } from '../access/scope.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { IdempotencyStore } from '../idempotency/idempotency-store.js';
import { ConflictsRepository } from '../repositories/conflicts.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import type { ConflictEntity } from './conflict.entity.js';
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
      const user = await UsersRepository.find(manager, input.userId);
      if (!user) {
        throw DomainError.ruleViolation([{ field: 'userId', message: 'no such user' }]);
      }
      if (!user.roles.includes('officer') && !user.roles.includes('leader')) {
        // Said from the roles alone: it reveals nothing about the subject.
        throw isAdmin
          ? DomainError.ruleViolation([{ field: 'userId', message: 'only officers and leaders act on cases, so only they can be recused' }])
          : DomainError.forbidden('only officers and leaders act on cases, so only they declare conflicts (回避)', 'ROLE');
      }
      const subject = await UsersRepository.find(manager, input.subjectId);
      if (!subject?.roles.includes('cadre') || !(await reachesCadre(manager, user.unitId, subject))) {
        throw noCadreInReach();
      }
      if (await ConflictsRepository.exists(manager, input.userId, input.subjectId)) {
        throw DomainError.conflict('this conflict is already recorded', 'DUPLICATE');
      }
      const conflict = await ConflictsRepository.insert(manager, {
        id: randomUUID(),
        userId: input.userId,
        subjectId: input.subjectId,
        reason: input.reason,
        recordedBy: actor.id,
        createdAt: this.clock.now().toISOString(),
      });
      await this.idempotency.claimIn(manager);
      return conflict;
    });
  }

  /** Admins see every declared conflict; others see their own. Newest first, `take` of them from `skip`. */
  list(actor: AuthUser, skip = 0, take?: number): Promise<ConflictEntity[]> {
    return this.uow.read((manager) => ConflictsRepository.list(manager, actor.roles.includes('admin') ? null : actor.id, skip, take));
  }
}
