import type { EntityManager } from 'typeorm';

import { ConflictEntity } from '../conflicts/conflict.entity.js';
import { fromSnakeRow, runSql } from '../database/sql.js';

/** The `conflicts` table: declared recusals (回避), one per (user, cadre). */
export class ConflictsRepository {
  static exists(manager: EntityManager, userId: string, subjectId: string): Promise<boolean> {
    return manager.exists(ConflictEntity, { where: { userId, subjectId } });
  }

  static async insert(manager: EntityManager, conflict: ConflictEntity): Promise<ConflictEntity> {
    const row = manager.create(ConflictEntity, conflict);
    await manager.insert(ConflictEntity, row);
    return row;
  }

  /** One user's conflicts, or everyone's when `userId` is null; newest first, `take` of them from `skip`. */
  static list(manager: EntityManager, userId: string | null, skip: number, take?: number): Promise<ConflictEntity[]> {
    return manager.find(ConflictEntity, {
      where: userId === null ? {} : { userId },
      order: { createdAt: 'DESC', id: 'ASC' },
      skip,
      take,
    });
  }

  /** The conflicts declared about these cadres (prepared SQL: every case view and command reads them). */
  static async aboutSubjects(manager: EntityManager, subjectIds: readonly string[]): Promise<ConflictEntity[]> {
    if (subjectIds.length === 0) {
      return [];
    }
    const { rows } =
      subjectIds.length === 1
        ? await runSql(manager, 'SELECT * FROM conflicts WHERE subject_id = ?', [...subjectIds])
        : await runSql(manager, `SELECT * FROM conflicts WHERE subject_id IN (${subjectIds.map(() => '?').join(', ')})`, [...subjectIds]);
    return rows.map((r) => fromSnakeRow(ConflictEntity, r));
  }
}
