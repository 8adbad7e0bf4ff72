import type { EntityManager } from 'typeorm';

import { fromSnakeRow, isPostgres, runSql } from '../database/sql.js';
import { DeadlineEntity } from '../deadlines/deadline.entity.js';

const list = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** The `deadlines` table: one row per running time limit (deadlines/deadline-book.ts decides which). */
export class DeadlinesRepository {
  static async insert(manager: EntityManager, d: DeadlineEntity): Promise<void> {
    await runSql(
      manager,
      `INSERT INTO deadlines (id, case_id, kind, action_id, due_at, status, created_at, resolved_at)
       VALUES (?, ?, ?, ?, ?, 'open', ?, NULL)`,
      [d.id, d.caseId, d.kind, d.actionId, d.dueAt, d.createdAt],
    );
  }

  static async closeKind(manager: EntityManager, caseId: string, kind: string, at: string): Promise<void> {
    await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE case_id = ? AND kind = ? AND status = 'open'", [
      at,
      caseId,
      kind,
    ]);
  }

  static async closeForAction(manager: EntityManager, actionId: string, at: string): Promise<void> {
    await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE action_id = ? AND status = 'open'", [
      at,
      actionId,
    ]);
  }

  static async closeAllOf(manager: EntityManager, caseId: string, at: string): Promise<void> {
    await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE case_id = ? AND status = 'open'", [at, caseId]);
  }

  /** The open deadlines of these cases, in due order. */
  static async openOf(manager: EntityManager, caseIds: readonly string[]): Promise<DeadlineEntity[]> {
    if (caseIds.length === 0) {
      return [];
    }
    const { rows } =
      caseIds.length === 1
        ? await runSql(manager, "SELECT * FROM deadlines WHERE case_id = ? AND status = 'open' ORDER BY due_at", [...caseIds])
        : await runSql(manager, `SELECT * FROM deadlines WHERE case_id IN (${list(caseIds)}) AND status = 'open' ORDER BY due_at`, [
            ...caseIds,
          ]);
    return rows.map((r) => fromSnakeRow(DeadlineEntity, r));
  }

  /** The earliest due time of the case's open deadlines as they stand in this transaction. */
  static async earliestOpenDue(manager: EntityManager, caseId: string): Promise<string | null> {
    const { rows } = await runSql<{ next: string | null }>(
      manager,
      "SELECT MIN(due_at) AS next FROM deadlines WHERE case_id = ? AND status = 'open'",
      [caseId],
    );
    return rows[0]?.next ?? null;
  }

  /** The ids of open deadlines due before `now`, soonest first, at most `limit`. */
  static async dueIds(manager: EntityManager, now: string, limit: number): Promise<string[]> {
    const { rows } = await runSql<{ id: string }>(
      manager,
      "SELECT id FROM deadlines WHERE status = 'open' AND due_at < ? ORDER BY due_at LIMIT ?",
      [now, limit],
    );
    return rows.map((row) => row.id);
  }

  /** The case a deadline belongs to, or null when the deadline is gone. */
  static async caseOf(manager: EntityManager, deadlineId: string): Promise<string | null> {
    const { rows } = await runSql<{ case_id: string }>(manager, 'SELECT case_id FROM deadlines WHERE id = ?', [deadlineId]);
    return rows[0]?.case_id ?? null;
  }

  /** PostgreSQL: whether the open row can be taken now; a row another instance is firing is passed over (SKIP LOCKED). */
  static async lockIfOpen(manager: EntityManager, deadlineId: string): Promise<boolean> {
    if (!isPostgres(manager)) {
      return true;
    }
    const { rows } = await runSql(manager, "SELECT id FROM deadlines WHERE id = ? AND status = 'open' FOR UPDATE SKIP LOCKED", [
      deadlineId,
    ]);
    return rows.length > 0;
  }

  /** open → fired; the row as fired, or null when it was no longer open. */
  static async markFired(manager: EntityManager, deadlineId: string, at: string): Promise<DeadlineEntity | null> {
    const claimed = await runSql(manager, "UPDATE deadlines SET status = 'fired', resolved_at = ? WHERE id = ? AND status = 'open'", [
      at,
      deadlineId,
    ]);
    if (claimed.affected === 0) {
      return null;
    }
    const { rows } = await runSql(manager, 'SELECT * FROM deadlines WHERE id = ?', [deadlineId]);
    return fromSnakeRow(DeadlineEntity, rows[0]);
  }

  /** Closes a deadline without effect (its firing no longer applies). */
  static async retire(manager: EntityManager, deadlineId: string, at: string): Promise<void> {
    await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE id = ? AND status = 'open'", [at, deadlineId]);
  }
}
