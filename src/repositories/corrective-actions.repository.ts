import type { EntityManager } from 'typeorm';

import { CorrectiveActionEntity } from '../cases/corrective-action.entity.js';
import { fromSnakeRow, runSql } from '../database/sql.js';

/** The `corrective_actions` table: a case's corrective actions (纠错), in creation order. */
export class CorrectiveActionsRepository {
  static async insert(
    manager: EntityManager,
    a: { id: string; caseId: string; description: string; dueAt: string; createdBy: string; at: string },
  ): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO corrective_actions (id, case_id, description, status, due_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, 'open', ?, ?, ?, ?)`,
      [a.id, a.caseId, a.description, a.dueAt, a.createdBy, a.at, a.at],
    );
  }

  static async markReported(manager: EntityManager, actionId: string, note: string, at: string): Promise<void> {
    await runSql(
      manager,
      "UPDATE corrective_actions SET status = 'reported', report_note = ?, reported_at = ?, updated_at = ? WHERE id = ?",
      [note, at, at, actionId],
    );
  }

  /** Accepted: verified by `by`; not accepted: open again, to redo. */
  static async markVerified(
    manager: EntityManager,
    actionId: string,
    accepted: boolean,
    note: string,
    by: string,
    at: string,
  ): Promise<void> {
    await runSql(
      manager,
      'UPDATE corrective_actions SET status = ?, verify_note = ?, verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?',
      [accepted ? 'verified' : 'open', note, accepted ? by : null, accepted ? at : null, at, actionId],
    );
  }

  /** The actions of these cases, in creation order. */
  static async ofCases(manager: EntityManager, caseIds: readonly string[]): Promise<CorrectiveActionEntity[]> {
    if (caseIds.length === 0) {
      return [];
    }
    const { rows } =
      caseIds.length === 1
        ? await runSql(manager, 'SELECT * FROM corrective_actions WHERE case_id = ? ORDER BY created_at, id', [...caseIds])
        : await runSql(
            manager,
            `SELECT * FROM corrective_actions WHERE case_id IN (${caseIds.map(() => '?').join(', ')}) ORDER BY created_at, id`,
            [...caseIds],
          );
    return rows.map((r) => fromSnakeRow(CorrectiveActionEntity, r));
  }
}
