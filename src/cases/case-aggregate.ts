import type { EntityManager } from 'typeorm';
import { ConflictEntity } from '../conflicts/conflict.entity.js';
import { fromSnakeRow, runSql } from '../database/sql.js';
import { DeadlineEntity } from '../deadlines/deadline.entity.js';
import type { Participants } from '../workflow/case-access.js';
import { rules } from '../workflow/case-machine.js';
import type { CaseEntity } from './case.entity.js';
import { CorrectiveActionEntity } from './corrective-action.entity.js';

/** A case with what its commands and its view need besides the row itself. */
export interface CaseAggregate {
  row: CaseEntity;
  conflicts: ConflictEntity[];
  actions: CorrectiveActionEntity[];
  /** open deadlines only */
  deadlines: DeadlineEntity[];
}

type Part = 'conflicts' | 'actions' | 'deadlines';

/** Loads the case's related rows; `parts` limits which (the others come back empty). */
export async function loadAggregate(
  manager: EntityManager,
  row: CaseEntity,
  parts: readonly Part[] = ['conflicts', 'actions', 'deadlines'],
): Promise<CaseAggregate> {
  const conflicts = parts.includes('conflicts') ? await runSql(manager, 'SELECT * FROM conflicts WHERE subject_id = ?', [row.subjectId]) : null;
  const actions = parts.includes('actions')
    ? await runSql(manager, 'SELECT * FROM corrective_actions WHERE case_id = ? ORDER BY created_at, id', [row.id])
    : null;
  const deadlines = parts.includes('deadlines')
    ? await runSql(manager, "SELECT * FROM deadlines WHERE case_id = ? AND status = 'open' ORDER BY due_at", [row.id])
    : null;
  return {
    row,
    conflicts: (conflicts?.rows ?? []).map((r) => fromSnakeRow(ConflictEntity, r)),
    actions: (actions?.rows ?? []).map((r) => fromSnakeRow(CorrectiveActionEntity, r)),
    deadlines: (deadlines?.rows ?? []).map((r) => fromSnakeRow(DeadlineEntity, r)),
  };
}

export function participantsOf(aggregate: CaseAggregate): Participants {
  const { row } = aggregate;
  return {
    subjectId: row.subjectId,
    openedBy: row.openedBy,
    assessorIds: row.assessorIds,
    reviewerIds: row.reviewerIds,
    conflictedUserIds: aggregate.conflicts.map((c) => c.userId),
  };
}

/** At least one corrective action, and every one verified: a `correcting` case may close. */
export const correctionComplete = (actions: readonly CorrectiveActionEntity[]): boolean => rules.correctionComplete(actions);
