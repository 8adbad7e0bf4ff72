import type { CaseAggregate } from '../cases/case-aggregate.js';
import { participantsOf } from '../cases/case-aggregate.js';
import { type Actor, allowedActions, type CaseCommand } from '../workflow/case-access.js';
import type { DeadlineKind } from '../workflow/deadline-plan.js';

export interface Task {
  caseId: string;
  title: string;
  action: CaseCommand;
  actionId: string | null;
  dueAt: string | null;
  overdue: boolean;
}

/** Which time limit a task is done against. Appeals, withdrawals and adding evidence are rights, not tasks. */
const TASK_DEADLINE: Record<'explanation' | 'assessment' | 'review' | 'appeal-review', DeadlineKind | null> = {
  explanation: 'explanation',
  assessment: null,
  review: 'review',
  'appeal-review': 'appealReview',
};

/** What the caller must do now on one case: one item per command, and per corrective action. */
export function tasksFor(aggregate: CaseAggregate, actor: Actor, now: Date): Task[] {
  const at = now.toISOString();
  const { row } = aggregate;
  const item = (action: CaseCommand, dueAt: string | null, actionId: string | null = null): Task => ({
    caseId: row.id,
    title: row.title,
    action,
    actionId,
    dueAt,
    overdue: dueAt !== null && dueAt < at,
  });
  return allowedActions(row.snapshot, participantsOf(aggregate), actor, at).flatMap((action): Task[] => {
    switch (action) {
      case 'corrective-actions':
        // Setting actions is a task only until the first one exists.
        return aggregate.actions.length === 0 ? [item(action, null)] : [];
      case 'corrective-action-report':
        return aggregate.actions.filter((a) => a.status === 'open').map((a) => item(action, a.dueAt, a.id));
      case 'corrective-action-verify':
        return aggregate.actions.filter((a) => a.status === 'reported').map((a) => item(action, a.dueAt, a.id));
      case 'appeal':
      case 'withdraw':
      case 'evidence':
        return []; // rights, not tasks
      case 'explanation':
      case 'assessment':
      case 'review':
      case 'appeal-review': {
        const kind = TASK_DEADLINE[action];
        const deadline = kind ? aggregate.deadlines.find((d) => d.kind === kind) : undefined;
        return [item(action, deadline?.dueAt ?? null)];
      }
    }
  });
}

/** Soonest first; tasks without a time limit last. */
export const byDueDate = (a: Task, b: Task): number => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff');
