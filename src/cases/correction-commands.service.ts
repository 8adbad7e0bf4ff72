import { randomUUID } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { runSql } from '../database/sql.js';
import { DeadlineBook } from '../deadlines/deadline-book.js';
import { correctiveActionViolations } from '../workflow/command-rules.js';
import { type CaseAggregate, correctionComplete } from './case-aggregate.js';
import { CaseCommandRunner } from './case-command-runner.js';
import type { CorrectiveActionEntity } from './corrective-action.entity.js';
import type { CreateCorrectiveActionDto, ReportCorrectiveActionDto, VerifyCorrectiveActionDto } from './dto/appeal-and-correction.dto.js';

function findAction(aggregate: CaseAggregate, actionId: string): CorrectiveActionEntity {
  const action = aggregate.actions.find((a) => a.id === actionId);
  if (!action) {
    throw DomainError.notFound(`corrective action ${actionId}`);
  }
  return action;
}

/**
 * Correction follow-through (纠错): the officer sets actions with due dates, the cadre reports each done,
 * the officer verifies it; a `correcting` case closes itself once every action is verified.
 */
@Injectable()
export class CorrectionCommandsService {
  constructor(
    @Inject(CaseCommandRunner) private readonly runner: CaseCommandRunner,
    @Inject(DeadlineBook) private readonly deadlines: DeadlineBook,
  ) {}

  async add(actor: AuthUser, caseId: string, ifMatch: number | null, input: CreateCorrectiveActionDto) {
    const id = randomUUID();
    const aggregate = await this.runner.run(actor, caseId, ifMatch, 'corrective-actions', ({ aggregate: current, policy, now }) => {
      const tooMany = correctiveActionViolations(current.actions.length);
      if (tooMany.length > 0) {
        throw DomainError.ruleViolation(tooMany);
      }
      const due = input.dueAt ? new Date(input.dueAt) : this.deadlines.dueAt(policy, 'correction', now);
      if (due.getTime() <= now.getTime()) {
        throw DomainError.ruleViolation([{ field: 'dueAt', message: 'must be in the future' }]);
      }
      const dueIso = due.toISOString();
      return {
        event: { type: 'correction.add' },
        auditType: 'corrective-action.added',
        auditData: { actionId: id, description: input.description, dueAt: dueIso },
        effects: async ({ manager, at }) => {
          await runSql(
            manager,
            `INSERT INTO corrective_actions (id, case_id, description, status, due_at, created_by, created_at, updated_at)
             VALUES (?, ?, ?, 'open', ?, ?, ?, ?)`,
            [id, caseId, input.description, dueIso, actor.id, at, at],
          );
          await this.deadlines.open(manager, caseId, 'correction', dueIso, at, id);
        },
        notify: [
          {
            to: [current.row.subjectId],
            kind: 'corrective-action.added',
            message: `Corrective action to complete by ${dueIso}: ${input.description}`,
          },
        ],
      };
    });
    return { aggregate, action: findAction(aggregate, id) };
  }

  async report(actor: AuthUser, caseId: string, actionId: string, ifMatch: number | null, input: ReportCorrectiveActionDto) {
    const aggregate = await this.runner.run(actor, caseId, ifMatch, 'corrective-action-report', ({ aggregate: current }) => {
      const action = findAction(current, actionId);
      if (action.status !== 'open') {
        throw DomainError.conflict(`corrective action ${actionId} is ${action.status}, not open`, 'STATE');
      }
      return {
        event: { type: 'correction.report' },
        auditType: 'corrective-action.reported',
        auditData: { actionId, note: input.note },
        effects: async ({ manager, at }) => {
          await runSql(
            manager,
            "UPDATE corrective_actions SET status = 'reported', report_note = ?, reported_at = ?, updated_at = ? WHERE id = ?",
            [input.note, at, at, actionId],
          );
        },
        notify: [
          { to: [current.row.openedBy], kind: 'corrective-action.reported', message: `Reported done, to verify: ${action.description}` },
        ],
      };
    });
    return { aggregate, action: findAction(aggregate, actionId) };
  }

  async verify(actor: AuthUser, caseId: string, actionId: string, ifMatch: number | null, input: VerifyCorrectiveActionDto) {
    const aggregate = await this.runner.run(actor, caseId, ifMatch, 'corrective-action-verify', ({ aggregate: current }) => {
      const action = findAction(current, actionId);
      if (action.status !== 'reported') {
        throw DomainError.conflict(`corrective action ${actionId} is ${action.status}; only a reported action can be verified`, 'STATE');
      }
      const after = current.actions.map((a) =>
        a.id === actionId ? { ...a, status: input.accepted ? ('verified' as const) : ('open' as const) } : a,
      );
      return {
        event: { type: 'correction.verify', correctionComplete: correctionComplete(after) },
        auditType: input.accepted ? 'corrective-action.verified' : 'corrective-action.rejected',
        auditData: { actionId, accepted: input.accepted, note: input.note },
        effects: async ({ manager, at }) => {
          await runSql(
            manager,
            'UPDATE corrective_actions SET status = ?, verify_note = ?, verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?',
            [input.accepted ? 'verified' : 'open', input.note, input.accepted ? actor.id : null, input.accepted ? at : null, at, actionId],
          );
          if (input.accepted) {
            await this.deadlines.closeForAction(manager, actionId, at);
          }
        },
        notify: [
          {
            to: [current.row.subjectId],
            kind: input.accepted ? 'corrective-action.verified' : 'corrective-action.rejected',
            message: `${input.accepted ? 'Verified' : 'Not accepted, please redo'}: ${action.description}. ${input.note}`,
          },
        ],
      };
    });
    return { aggregate, action: findAction(aggregate, actionId) };
  }
}
