import type { EntityManager } from 'typeorm';
import { IsNull } from 'typeorm';

import { appendOnlyRowId } from '../common/row-id.js';
import { runSql } from '../database/sql.js';
import { NotificationEntity } from '../notifications/notification.entity.js';

export interface NotificationRow {
  userId: string;
  caseId: string | null;
  kind: string;
  message: string;
  createdAt: string;
}

/** The `notifications` table: the outbox, one row per recipient. */
export class NotificationsRepository {
  /** One statement for all rows: a decision notifies several people. */
  static async insertMany(manager: EntityManager, rows: readonly NotificationRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await runSql(
      manager,
      `INSERT INTO notifications (id, user_id, case_id, kind, message, created_at, read_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, NULL)').join(', ')}`,
      rows.flatMap((row) => [appendOnlyRowId(), row.userId, row.caseId, row.kind, row.message, row.createdAt]),
    );
  }

  /** How many the user has (unread ones only when `unreadOnly`), and how many of those are unread. */
  static async counts(manager: EntityManager, userId: string, unreadOnly: boolean): Promise<{ total: number; unread: number }> {
    const where = unreadOnly ? 'user_id = ? AND read_at IS NULL' : 'user_id = ?';
    const { rows } = await runSql<{ total: number | string; unread: number | string | null }>(
      manager,
      `SELECT COUNT(*) AS total, SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END) AS unread FROM notifications WHERE ${where}`,
      [userId],
    );
    return { total: Number(rows[0].total), unread: Number(rows[0].unread ?? 0) };
  }

  /** Newest first, `take` of them from `skip`. */
  static page(manager: EntityManager, userId: string, unreadOnly: boolean, skip: number, take: number): Promise<NotificationEntity[]> {
    return manager.find(NotificationEntity, {
      where: unreadOnly ? { userId, readAt: IsNull() } : { userId },
      order: { createdAt: 'DESC', id: 'ASC' },
      take,
      skip,
    });
  }

  /** The notification if it is the user's own. */
  static findOwn(manager: EntityManager, id: string, userId: string): Promise<NotificationEntity | null> {
    return manager.findOne(NotificationEntity, { where: { id, userId } });
  }

  static async markRead(manager: EntityManager, id: string, readAt: string): Promise<void> {
    await manager.update(NotificationEntity, { id }, { readAt });
  }
}
