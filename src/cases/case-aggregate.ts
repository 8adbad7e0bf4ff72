import type { EntityManager } from 'typeorm';

import type { ConflictEntity } from '../conflicts/conflict.entity.js';
import type { DeadlineEntity } from '../deadlines/deadline.entity.js';
import { ConflictsRepository } from '../repositories/conflicts.repository.js';
import { CorrectiveActionsRepository } from '../repositories/corrective-actions.repository.js';
import { DeadlinesRepository } from '../repositories/deadlines.repository.js';
import { UnitsRepository } from '../repositories/units.repository.js';
import type { Participants } from '../workflow/case-access.js';
import { rules } from '../workflow/case-machine.js';
import type { CaseEntity } from './case.entity.js';
import type { CorrectiveActionEntity } from './corrective-action.entity.js';

/** A case with what its commands and its view need besides the row itself. */
export interface CaseAggregate {
  row: CaseEntity;
  conflicts: ConflictEntity[];
  actions: CorrectiveActionEntity[];
  /** open deadlines only */
  deadlines: DeadlineEntity[];
  /** the path of the case's unit (units are never moved, so it is read once per unit and remembered) */
  unitPath: string;
}

type Part = 'conflicts' | 'actions' | 'deadlines';

/** Loads the case's related rows; `parts` limits which (the others come back empty). */
export async function loadAggregate(
  manager: EntityManager,
  row: CaseEntity,
  parts: readonly Part[] = ['conflicts', 'actions', 'deadlines'],
): Promise<CaseAggregate> {
  const conflicts = parts.includes('conflicts') ? await ConflictsRepository.aboutSubjects(manager, [row.subjectId]) : [];
  const actions = parts.includes('actions') ? await CorrectiveActionsRepository.ofCases(manager, [row.id]) : [];
  const deadlines = parts.includes('deadlines') ? await DeadlinesRepository.openOf(manager, [row.id]) : [];
  return {
    row,
    unitPath: (await UnitsRepository.path(manager, row.unitId)) ?? '',
    conflicts,
    actions,
    deadlines,
  };
}

/**
 * The aggregates of a page of cases with three queries instead of three per case: on PostgreSQL each query
 * is a round trip, and a page of 20 cost ~60 of them (measured at 1M cases, docs/performance.md).
 */
export async function loadAggregates(manager: EntityManager, rows: readonly CaseEntity[]): Promise<CaseAggregate[]> {
  if (rows.length === 0) {
    return [];
  }
  const caseIds = rows.map((row) => row.id);
  const subjectIds = [...new Set(rows.map((row) => row.subjectId))];
  const [conflicts, actions, deadlines] = [
    await ConflictsRepository.aboutSubjects(manager, subjectIds),
    await CorrectiveActionsRepository.ofCases(manager, caseIds),
    await DeadlinesRepository.openOf(manager, caseIds),
  ];
  const conflictsBySubject = groupBy(conflicts, (c) => c.subjectId);
  const actionsByCase = groupBy(actions, (a) => a.caseId);
  const deadlinesByCase = groupBy(deadlines, (d) => d.caseId);
  const paths = new Map<string, string>();
  for (const unitId of new Set(rows.map((row) => row.unitId))) {
    paths.set(unitId, (await UnitsRepository.path(manager, unitId)) ?? '');
  }
  return rows.map((row) => ({
    row,
    unitPath: paths.get(row.unitId) ?? '',
    conflicts: conflictsBySubject.get(row.subjectId) ?? [],
    actions: actionsByCase.get(row.id) ?? [],
    deadlines: deadlinesByCase.get(row.id) ?? [],
  }));
}

export function participantsOf(aggregate: CaseAggregate): Participants {
  const { row } = aggregate;
  return {
    subjectId: row.subjectId,
    openedBy: row.openedBy,
    assessorIds: row.assessorIds,
    reviewerIds: row.reviewerIds,
    conflictedUserIds: aggregate.conflicts.map((c) => c.userId),
    unitPath: aggregate.unitPath,
  };
}

/** At least one corrective action, and every one verified: a `correcting` case may close. */
export const correctionComplete = (actions: readonly CorrectiveActionEntity[]): boolean => rules.correctionComplete(actions);

/** The items by key, each group in the items' order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = byKey.get(k);
    if (group) {
      group.push(item);
    } else {
      byKey.set(k, [item]);
    }
  }
  return byKey;
}
