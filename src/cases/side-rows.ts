import type { EntityManager } from 'typeorm';

import type { DeadlineBook } from '../deadlines/deadline-book.js';
import { CorrectiveActionsRepository } from '../repositories/corrective-actions.repository.js';
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
        await CorrectiveActionsRepository.insert(manager, {
          id: row.actionId,
          caseId,
          description: row.description,
          dueAt: row.dueAt,
          createdBy: row.by,
          at,
        });
        await deadlines.open(manager, caseId, 'correction', row.dueAt, at, row.actionId);
        break;
      case 'action.report':
        await CorrectiveActionsRepository.markReported(manager, row.actionId, row.note, at);
        break;
      case 'action.verify':
        await CorrectiveActionsRepository.markVerified(manager, row.actionId, row.accepted, row.note, row.by, at);
        if (row.accepted) {
          await deadlines.closeForAction(manager, row.actionId, at);
        }
        break;
    }
  }
}
