/**
 * Correction follow-through (纠错): the officer sets actions with due dates, the cadre reports each done,
 * the officer verifies it; a `correcting` case closes itself once every action is verified.
 */
import { z } from 'zod';

import { DomainError } from '../../common/domain-error.js';
import { rules } from '../case-machine.js';
import { correctiveActionViolations } from '../command-rules.js';
import type { ActionRecord, CaseRecord } from '../replay/case-record.js';
import { Diverged, same } from '../replay/divergence.js';
import { accept, type ActionFacts, type CommandContext, defineCommand, recordedEvent } from './command-definition.js';

export const actionAdded = recordedEvent({
  type: 'corrective-action.added',
  data: z.object({ actionId: z.string(), description: z.string(), dueAt: z.string() }),
  replay: (_record, d, event) => {
    const action: ActionRecord = {
      id: d.actionId,
      description: d.description,
      status: 'open',
      dueAt: d.dueAt,
      createdAt: event.at,
      reportNote: null,
      reportedAt: null,
      verifyNote: null,
      verifiedAt: null,
    };
    return { machineEvent: { type: 'correction.add' }, update: (r) => ({ correctiveActions: [...r.correctiveActions, action] }) };
  },
});

export const actionReported = recordedEvent({
  type: 'corrective-action.reported',
  data: z.object({ actionId: z.string(), note: z.string() }),
  replay: (record, d, event) => {
    const actions = changeAction(record, d.actionId, 'open', { status: 'reported', reportNote: d.note, reportedAt: event.at });
    return { machineEvent: { type: 'correction.report' }, update: () => ({ correctiveActions: actions }) };
  },
});

const verifiedData = z.object({ actionId: z.string(), accepted: z.boolean(), note: z.string() });

function actionVerifiedOrRejected(type: 'corrective-action.verified' | 'corrective-action.rejected') {
  return recordedEvent({
    type,
    data: verifiedData,
    replay: (record, d, event) => {
      same('accepted', type === 'corrective-action.verified', d.accepted);
      const actions = changeAction(record, d.actionId, 'reported', {
        status: d.accepted ? 'verified' : 'open',
        verifyNote: d.note,
        verifiedAt: d.accepted ? event.at : null,
      });
      return {
        machineEvent: { type: 'correction.verify', correctionComplete: rules.correctionComplete(actions) },
        update: () => ({ correctiveActions: actions }),
      };
    },
  });
}

export const actionVerified = actionVerifiedOrRejected('corrective-action.verified');
export const actionRejected = actionVerifiedOrRejected('corrective-action.rejected');

function changeAction(record: CaseRecord, actionId: string, mustBe: ActionRecord['status'], change: Partial<ActionRecord>): ActionRecord[] {
  const action = record.correctiveActions.find((a) => a.id === actionId);
  if (!action) {
    throw new Diverged(`corrective action ${actionId} was never added`, 'an added action', actionId);
  }
  same(`status of corrective action ${actionId}`, mustBe, action.status);
  return record.correctiveActions.map((a) => (a.id === actionId ? { ...a, ...change } : a));
}

/** The action a command names: 404 when the case has no such action. */
function findAction(context: CommandContext, actionId: string): ActionFacts {
  const action = context.actions.find((a) => a.id === actionId);
  if (!action) {
    throw DomainError.notFound(`corrective action ${actionId}`);
  }
  return action;
}

export interface AddActionInput {
  /** set by a caller that must find the action it added; a fresh UUID otherwise */
  actionId?: string;
  description: string;
  dueAt?: string;
}

export const correctiveActions = defineCommand({
  name: 'corrective-actions',
  roles: ['officer'],
  probe: () => [{ type: 'correction.add' }],
  task: { kind: 'until-first-action' },
  records: [actionAdded],
  decide(input: AddActionInput, context) {
    const { actions, case: row, now, dueAt, actor } = context;
    const tooMany = correctiveActionViolations(actions.length);
    if (tooMany.length > 0) {
      throw DomainError.ruleViolation(tooMany);
    }
    const due = input.dueAt ? new Date(input.dueAt) : dueAt('correction', now);
    if (due.getTime() <= now.getTime()) {
      throw DomainError.ruleViolation([{ field: 'dueAt', message: 'must be in the future' }]);
    }
    const actionId = input.actionId ?? crypto.randomUUID();
    const dueIso = due.toISOString();
    return accept(
      actionAdded,
      { actionId, description: input.description, dueAt: dueIso },
      {
        event: { type: 'correction.add' },
        sideRows: [{ kind: 'action.add', actionId, description: input.description, dueAt: dueIso, by: actor.id }],
        notify: [
          {
            to: [row.subjectId],
            kind: 'corrective-action.added',
            message: `Corrective action to complete by ${dueIso}: ${input.description}`,
          },
        ],
      },
    );
  },
});

export interface ReportActionInput {
  actionId: string;
  note: string;
}

export const correctiveActionReport = defineCommand({
  name: 'corrective-action-report',
  roles: ['cadre'],
  probe: () => [{ type: 'correction.report' }],
  task: { kind: 'per-action', status: 'open' },
  records: [actionReported],
  decide(input: ReportActionInput, context) {
    const action = findAction(context, input.actionId);
    if (action.status !== 'open') {
      throw DomainError.conflict(`corrective action ${input.actionId} is ${action.status}, not open`, 'STATE');
    }
    return accept(
      actionReported,
      { actionId: input.actionId, note: input.note },
      {
        event: { type: 'correction.report' },
        sideRows: [{ kind: 'action.report', actionId: input.actionId, note: input.note }],
        notify: [
          { to: [context.case.openedBy], kind: 'corrective-action.reported', message: `Reported done, to verify: ${action.description}` },
        ],
      },
    );
  },
});

export interface VerifyActionInput {
  actionId: string;
  accepted: boolean;
  note: string;
}

export const correctiveActionVerify = defineCommand({
  name: 'corrective-action-verify',
  roles: ['officer'],
  probe: () => [{ type: 'correction.verify', correctionComplete: false }],
  task: { kind: 'per-action', status: 'reported' },
  records: [actionVerified, actionRejected],
  decide(input: VerifyActionInput, context) {
    const { actionId, accepted, note } = input;
    const action = findAction(context, actionId);
    if (action.status !== 'reported') {
      throw DomainError.conflict(`corrective action ${actionId} is ${action.status}; only a reported action can be verified`, 'STATE');
    }
    const after = context.actions.map((a) =>
      a.id === actionId ? { ...a, status: accepted ? ('verified' as const) : ('open' as const) } : a,
    );
    return accept(
      accepted ? actionVerified : actionRejected,
      { actionId, accepted, note },
      {
        event: { type: 'correction.verify', correctionComplete: rules.correctionComplete(after) },
        sideRows: [{ kind: 'action.verify', actionId, accepted, note, by: context.actor.id }],
        notify: [
          {
            to: [context.case.subjectId],
            kind: accepted ? 'corrective-action.verified' : 'corrective-action.rejected',
            message: `${accepted ? 'Verified' : 'Not accepted, please redo'}: ${action.description}. ${note}`,
          },
        ],
      },
    );
  },
});
