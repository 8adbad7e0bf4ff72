import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { appendOnlyRowId } from '../common/row-id.js';
import { DeadlinesRepository } from '../repositories/deadlines.repository.js';
import type { CaseState } from '../workflow/case-machine.js';
import { type DeadlineKind, isFinal, STATE_DEADLINE } from '../workflow/deadline-plan.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import { DeadlineEntity } from './deadline.entity.js';
import { HolidayCalendar } from './holiday-calendar.js';

/** What a transition did to a case's open deadlines: enough to know them afterwards without reading them again. */
export interface DeadlineChange {
  closed: DeadlineKind[] | 'all';
  opened: DeadlineEntity | null;
}

export const NO_DEADLINE_CHANGE: DeadlineChange = { closed: [], opened: null };

/** A case's open deadlines after `change`, from the ones before it (due order, as the aggregate loads them). */
export function afterChange(open: readonly DeadlineEntity[], change: DeadlineChange): DeadlineEntity[] {
  if (change.closed === 'all') {
    return [];
  }
  const closed = change.closed;
  const kept = open.filter((d) => !closed.includes(d.kind));
  return change.opened ? [...kept, change.opened].sort((a, b) => a.dueAt.localeCompare(b.dueAt)) : kept;
}

/**
 * Opens and closes deadline rows. Always called inside the unit of work of the command that starts or
 * ends the time limit, so a deadline exists exactly when the case is in the state it belongs to.
 */
@Injectable()
export class DeadlineBook {
  constructor(@Inject(HolidayCalendar) private readonly calendar: HolidayCalendar) {}

  /** When a time limit of `kind` that starts at `from` ends, under the case's pinned policy and the official calendar. */
  dueAt(policy: Policy, kind: DeadlineKind, from: Date): Date {
    return this.calendar.dueAt(policy, kind, from);
  }

  async open(
    manager: EntityManager,
    caseId: string,
    kind: DeadlineKind,
    due: string,
    at: string,
    actionId: string | null = null,
  ): Promise<DeadlineEntity> {
    const deadline = Object.assign(new DeadlineEntity(), {
      id: appendOnlyRowId(),
      caseId,
      kind,
      actionId,
      dueAt: due,
      status: 'open' as const,
      createdAt: at,
      resolvedAt: null,
    });
    await DeadlinesRepository.insert(manager, deadline);
    return deadline;
  }

  async closeKind(manager: EntityManager, caseId: string, kind: DeadlineKind, at: string) {
    await DeadlinesRepository.closeKind(manager, caseId, kind, at);
  }

  async closeForAction(manager: EntityManager, actionId: string, at: string) {
    await DeadlinesRepository.closeForAction(manager, actionId, at);
  }

  /** The time limits that follow a change of state: the old state's ends, the new state's starts. */
  async followTransition(
    manager: EntityManager,
    change: { caseId: string; from: CaseState; to: CaseState; policy: Policy; now: Date; appealDueAt: string | null },
  ): Promise<DeadlineChange> {
    const at = change.now.toISOString();
    if (change.from === change.to) {
      return NO_DEADLINE_CHANGE;
    }
    const ending = STATE_DEADLINE[change.from];
    if (ending) {
      await this.closeKind(manager, change.caseId, ending, at);
    }
    if (isFinal(change.to)) {
      await DeadlinesRepository.closeAllOf(manager, change.caseId, at);
      return { closed: 'all', opened: null };
    }
    const starting = STATE_DEADLINE[change.to];
    if (!starting) {
      return { closed: ending ? [ending] : [], opened: null };
    }
    // The appeal window's end is fixed at decision time and kept in the machine; reuse it exactly.
    const due =
      starting === 'appealWindow' && change.appealDueAt
        ? change.appealDueAt
        : this.dueAt(change.policy, starting, change.now).toISOString();
    return { closed: ending ? [ending] : [], opened: await this.open(manager, change.caseId, starting, due, at) };
  }
}
