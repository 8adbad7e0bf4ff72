import type { CaseAggregate } from '../cases/case-aggregate.js';
import { participantsOf } from '../cases/case-aggregate.js';
import { type Actor, allowedActions, type CaseCommand } from '../workflow/case-access.js';
import { definitionOf } from '../workflow/commands/registry.js';

export interface Task {
  caseId: string;
  title: string;
  action: CaseCommand;
  actionId: string | null;
  dueAt: string | null;
  overdue: boolean;
}

/** What the caller must do now on one case: one item per command that is a task (its definition's `task`), and per corrective action. */
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
    const rule = definitionOf(action).task;
    switch (rule?.kind) {
      case undefined:
        return []; // a right, not a task (appeal, withdraw, evidence)
      case 'until-first-action':
        return aggregate.actions.length === 0 ? [item(action, null)] : [];
      case 'per-action':
        return aggregate.actions.filter((a) => a.status === rule.status).map((a) => item(action, a.dueAt, a.id));
      case 'case': {
        const deadline = rule.deadline ? aggregate.deadlines.find((d) => d.kind === rule.deadline) : undefined;
        return [item(action, deadline?.dueAt ?? null)];
      }
    }
  });
}

/** Soonest first; tasks without a time limit last. */
export const byDueDate = (a: Task, b: Task): number => (a.dueAt ?? '\uffff').localeCompare(b.dueAt ?? '\uffff');
