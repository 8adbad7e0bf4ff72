import type { EntityManager } from 'typeorm';

import { runSql } from '../database/sql.js';
import type { DeadlineBook } from '../deadlines/deadline-book.js';
import type { SideRow } from '../workflow/commands/command-definition.js';

/** Writes the rows besides the case that a command decided (its corrective actions and their deadlines). */
export async function writeSideRows(
  manager: EntityManager,
  deadlines: DeadlineBook,
  caseId: string,
  rows: readonly SideRow[],
  at: string,
): Promise<void> {
  for (const row of rows) {
    switch (row.kind) {
      case 'action.add':
        await runSql(
          manager,
          `INSERT INTO corrective_actions (id, case_id, description, status, due_at, created_by, created_at, updated_at)
           VALUES (?, ?, ?, 'open', ?, ?, ?, ?)`,
          [row.actionId, caseId, row.description, row.dueAt, row.by, at, at],
        );
        await deadlines.open(manager, caseId, 'correction', row.dueAt, at, row.actionId);
        break;
      case 'action.report':
        await runSql(
          manager,
          "UPDATE corrective_actions SET status = 'reported', report_note = ?, reported_at = ?, updated_at = ? WHERE id = ?",
          [row.note, at, at, row.actionId],
        );
        break;
      case 'action.verify':
        await runSql(
          manager,
          'UPDATE corrective_actions SET status = ?, verify_note = ?, verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?',
          [row.accepted ? 'verified' : 'open', row.note, row.accepted ? row.by : null, row.accepted ? at : null, at, row.actionId],
        );
        if (row.accepted) {
          await deadlines.closeForAction(manager, row.actionId, at);
        }
        break;
    }
  }
}
