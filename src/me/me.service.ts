import { Inject, Injectable } from '@nestjs/common';

import { visibleUnitIds } from '../access/scope.js';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { ReadPool } from '../database/read-pool.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import type { NotificationEntity } from '../notifications/notification.entity.js';
import { NotificationsRepository } from '../repositories/notifications.repository.js';
import type { CaseCommand } from '../workflow/case-access.js';
import type { Task } from './task-list.js';
import { countsSql, pageSql, TASK_ACTIONS, type TaskAction, taskRowsSql } from './task-query.js';

export interface TaskPage {
  items: Task[];
  total: number;
  counts: Record<TaskAction, number>;
}

export interface NotificationPage {
  items: NotificationEntity[];
  total: number;
  unread: number;
}

/** A row of pageSql. */
interface PageRow {
  case_id: string;
  title: string;
  action: CaseCommand;
  action_id: string | null;
  due_at: string | null;
}

const noCounts = (): Record<TaskAction, number> => Object.fromEntries(TASK_ACTIONS.map((a) => [a, 0])) as Record<TaskAction, number>;

/** The caller's inbox: tasks across cases, and notifications. */
@Injectable()
export class MeService {
  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ReadPool) private readonly reads: ReadPool,
  ) {}

  /**
   * One page of the caller's tasks with their counts, selected, sorted and counted in SQL (task-query.ts): only
   * the page's rows reach the process, whatever the size of the caller's units (issue 16). Both statements run
   * on a reader thread against one snapshot (ReadPool): a province's inbox never holds the commands up.
   */
  async tasks(actor: AuthUser, page: number, pageSize: number): Promise<TaskPage> {
    const at = this.clock.now().toISOString();
    const unitIds =
      actor.roles.includes('officer') || actor.roles.includes('leader')
        ? await this.uow.read((manager) => visibleUnitIds(manager, actor))
        : [];
    const dialect = this.reads.dialect;
    const offset = (page - 1) * pageSize;
    const counted = taskRowsSql(actor, unitIds, 'count', { dialect });
    const branches = taskRowsSql(actor, unitIds, 'page', { dialect, limit: offset + pageSize });
    if (!counted || !branches) {
      return { items: [], total: 0, counts: noCounts() };
    }
    const [countRows, pageRows] = await this.reads.query([countsSql(counted), pageSql(branches, pageSize, offset)]);
    const counts = noCounts();
    for (const row of countRows) {
      counts[row.action as TaskAction] = Number(row.n); // PostgreSQL's COUNT is a bigint, which pg returns as text
    }
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const items = (pageRows as unknown as PageRow[]).map((r) => ({
      caseId: r.case_id,
      title: r.title,
      action: r.action,
      actionId: r.action_id,
      dueAt: r.due_at,
      overdue: r.due_at !== null && r.due_at < at,
    }));
    return { items, total, counts };
  }

  /** Newest first, a page at a time; `unread` counts all the caller's unread ones, not only the page's. */
  notifications(actor: AuthUser, unreadOnly: boolean, page: number, pageSize: number): Promise<NotificationPage> {
    return this.uow.read(async (manager) => {
      const { total, unread } = await NotificationsRepository.counts(manager, actor.id, unreadOnly);
      const items = await NotificationsRepository.page(manager, actor.id, unreadOnly, (page - 1) * pageSize, pageSize);
      return { items, total, unread };
    });
  }

  markRead(actor: AuthUser, id: string): Promise<NotificationEntity> {
    return this.uow.run(async (manager) => {
      const notification = await NotificationsRepository.findOwn(manager, id, actor.id);
      if (!notification) {
        throw DomainError.notFound(`notification ${id}`);
      }
      if (!notification.readAt) {
        notification.readAt = this.clock.now().toISOString();
        await NotificationsRepository.markRead(manager, id, notification.readAt);
      }
      return notification;
    });
  }
}
