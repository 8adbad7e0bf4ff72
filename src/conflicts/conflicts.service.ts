import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { UserEntity } from '../users/user.entity.js';
import { ConflictEntity } from './conflict.entity.js';
import type { DeclareConflictDto } from './conflicts.dto.js';

/** Recusal (回避): a declared conflict keeps a user off a cadre's cases, open and future. */
@Injectable()
export class ConflictsService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  declare(actor: AuthUser, input: DeclareConflictDto): Promise<ConflictEntity> {
    if (input.userId !== actor.id && !actor.roles.includes('admin')) {
      throw DomainError.forbidden('you may declare only your own conflicts; an admin records others’');
    }
    if (input.userId === input.subjectId) {
      throw DomainError.ruleViolation([{ field: 'subjectId', message: 'a cadre cannot be recused from their own case' }]);
    }
    return this.uow.run(async (manager) => {
      if (!(await manager.exists(UserEntity, { where: { id: input.userId } }))) {
        throw DomainError.ruleViolation([{ field: 'userId', message: 'no such user' }]);
      }
      const subject = await manager.findOne(UserEntity, { where: { id: input.subjectId } });
      if (!subject?.roles.includes('cadre')) {
        throw DomainError.ruleViolation([{ field: 'subjectId', message: 'no cadre with this id' }]);
      }
      if (await manager.exists(ConflictEntity, { where: { userId: input.userId, subjectId: input.subjectId } })) {
        throw DomainError.conflict('this conflict is already recorded');
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
