import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { runSql } from '../database/sql.js';
import type { CaseState } from '../workflow/case-machine.js';
import { addDuration } from '../workflow/deadline-calendar.js';
import { type DeadlineKind, isFinal, STATE_DEADLINE } from '../workflow/deadline-plan.js';
import type { Policy } from '../workflow/policy/policy-schema.js';

/** When a time limit of `kind` that starts at `from` ends, under the case's pinned policy. */
export function dueAt(policy: Policy, kind: DeadlineKind, from: Date): Date {
  const { workingDays, holidays } = policy.deadlines;
  return addDuration(from, policy.deadlines[kind], { workingDays, holidays: holidays ?? [] });
}

/**
 * Opens and closes deadline rows. Always called inside the unit of work of the command that starts or
 * ends the time limit, so a deadline exists exactly when the case is in the state it belongs to.
 */
@Injectable()
export class DeadlineBook {
  async open(manager: EntityManager, caseId: string, kind: DeadlineKind, due: string, at: string, actionId: string | null = null) {
    await runSql(
      manager,
      `INSERT INTO deadlines (id, case_id, kind, action_id, due_at, status, created_at, resolved_at)
       VALUES (?, ?, ?, ?, ?, 'open', ?, NULL)`,
      [randomUUID(), caseId, kind, actionId, due, at],
    );
  }

  async closeKind(manager: EntityManager, caseId: string, kind: DeadlineKind, at: string) {
    await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE case_id = ? AND kind = ? AND status = 'open'", [
      at,
      caseId,
      kind,
    ]);
  }

  async closeForAction(manager: EntityManager, actionId: string, at: string) {
    await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE action_id = ? AND status = 'open'", [at, actionId]);
  }

  /** The time limits that follow a change of state: the old state's ends, the new state's starts. */
  async followTransition(
    manager: EntityManager,
    change: { caseId: string; from: CaseState; to: CaseState; policy: Policy; now: Date; appealDueAt: string | null },
  ) {
    const at = change.now.toISOString();
    if (change.from === change.to) {
      return;
    }
    const ending = STATE_DEADLINE[change.from];
    if (ending) {
      await this.closeKind(manager, change.caseId, ending, at);
    }
    if (isFinal(change.to)) {
      await runSql(manager, "UPDATE deadlines SET status = 'closed', resolved_at = ? WHERE case_id = ? AND status = 'open'", [at, change.caseId]);
      return;
    }
    const starting = STATE_DEADLINE[change.to];
    if (starting) {
      // The appeal window's end is fixed at decision time and kept in the machine; reuse it exactly.
      const due = starting === 'appealWindow' && change.appealDueAt ? change.appealDueAt : dueAt(change.policy, starting, change.now).toISOString();
      await this.open(manager, change.caseId, starting, due, at);
    }
  }
}
