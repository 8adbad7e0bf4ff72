import { Inject, Injectable } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { loadAggregate } from '../cases/case-aggregate.js';
import { CaseEntity } from '../cases/case.entity.js';
import { visibleUnitIds } from '../cases/case-scope.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { NotificationEntity } from '../notifications/notification.entity.js';
import type { CaseState } from '../workflow/case-machine.js';
import { byDueDate, type Task, tasksFor } from './task-list.js';

/** States in which each kind of user can have something to do. */
const SUBJECT_STATES: CaseState[] = ['awaitingExplanation', 'decided', 'correcting'];
const OFFICER_STATES: CaseState[] = ['underAssessment', 'decided', 'correcting'];
const LEADER_STATES: CaseState[] = ['pendingReview', 'appealReview'];

/** The caller's inbox: tasks across cases, and notifications. */
@Injectable()
export class MeService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  tasks(actor: AuthUser): Promise<Task[]> {
    const now = this.clock.now();
    return this.uow.read(async (manager) => {
      const where: Array<Record<string, unknown>> = [{ subjectId: actor.id, state: In(SUBJECT_STATES) }];
      const states = [
        ...(actor.roles.includes('officer') ? OFFICER_STATES : []),
        ...(actor.roles.includes('leader') ? LEADER_STATES : []),
      ];
      if (states.length > 0) {
        where.push({ unitId: In(await visibleUnitIds(manager, actor)), state: In(states) });
      }
      const cases = await manager.find(CaseEntity, { where, order: { createdAt: 'ASC' } });
      const tasks: Task[] = [];
      for (const row of cases) {
        tasks.push(...tasksFor(await loadAggregate(manager, row), actor, now));
      }
      return tasks.sort(byDueDate);
    });
  }

  notifications(actor: AuthUser, unreadOnly: boolean): Promise<NotificationEntity[]> {
    return this.uow.read((manager) =>
      manager.find(NotificationEntity, {
        where: unreadOnly ? { userId: actor.id, readAt: IsNull() } : { userId: actor.id },
        order: { createdAt: 'DESC', id: 'ASC' },
        take: 200,
      }),
    );
  }

  markRead(actor: AuthUser, id: string): Promise<NotificationEntity> {
    return this.uow.run(async (manager) => {
      const notification = await manager.findOne(NotificationEntity, { where: { id, userId: actor.id } });
      if (!notification) {
        throw DomainError.notFound(`notification ${id}`);
      }
      if (!notification.readAt) {
        notification.readAt = this.clock.now().toISOString();
        await manager.update(NotificationEntity, { id }, { readAt: notification.readAt });
      }
      return notification;
    });
  }
}
