/**
 * What each recorded event means: the machine event it stood for and how it changes the case, read from
 * its data alone. Values the service derived when it accepted the command (the recommendation, "all
 * corrective actions verified") are recomputed here, and recorded context is checked against the case
 * replayed so far.
 */
import type { CaseEvent } from '../case-machine.js';
import { rules } from '../case-machine.js';
import type { Assessment, Recommendation } from '../case-types.js';
import { annotateRepeat } from '../policy/annotate-repeat.js';
import { evaluatePolicy } from '../policy/evaluate-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import type { ActionRecord, CaseRecord, HistoryEvent } from './case-record.js';
import { Diverged, read, same } from './divergence.js';
import * as data from './event-data.js';

export type PolicyLookup = (id: string, version: number) => Policy | undefined;

/** What one recorded event means: the machine event it stood for, and how it changes the case. */
export interface Meaning {
  machineEvent: CaseEvent;
  update?: (r: CaseRecord) => Partial<CaseRecord>;
  /** consistency checks that need the machine's result */
  check?: (next: CaseRecord) => void;
}

const withActor = (ids: string[], actorId: string): string[] => (ids.includes(actorId) ? ids : [...ids, actorId]);

export function interpret(record: CaseRecord, event: HistoryEvent, policyOf: PolicyLookup): Meaning {
  const { at, actorId } = event;
  switch (event.type) {
    case 'explanation.submitted': {
      const d = read(data.explanationData, event.data);
      return {
        machineEvent: { type: 'explanation.submit' },
        update: () => ({ explanation: d.statement, explanationEvidenceIds: d.evidenceIds ?? [] }),
      };
    }
    case 'explanation.missed':
      return { machineEvent: { type: 'deadline.explanation' } };
    case 'assessment.recorded':
      return assessmentMeaning(record, event, policyOf);
    case 'review.returned': {
      const d = read(data.reviewReturnData, event.data);
      return {
        machineEvent: { type: 'review.return' },
        update: (r) => ({
          review: { decision: 'return', by: actorId, reason: d.reason, at },
          reviewerIds: withActor(r.reviewerIds, actorId),
        }),
      };
    }
    case 'review.approved': {
      const d = read(data.approveData, event.data);
      return {
        machineEvent: { type: 'review.approve', appealDueAt: d.appealDueAt },
        update: (r) => ({
          review: { decision: 'approve', by: actorId, reason: d.reason, at },
          reviewerIds: withActor(r.reviewerIds, actorId),
          decidedAt: at,
        }),
        check: (next) => same('approved outcome (the recommendation)', next.outcome, d.outcome),
      };
    }
    case 'review.overridden': {
      const d = read(data.overrideData, event.data);
      same('recommendedOutcome', record.recommendation?.outcome ?? null, d.recommendedOutcome);
      return {
        machineEvent: { type: 'review.override', outcome: d.outcome, appealDueAt: d.appealDueAt },
        update: (r) => ({
          review: { decision: 'override', by: actorId, reason: d.reason, at },
          reviewerIds: withActor(r.reviewerIds, actorId),
          decidedAt: at,
        }),
      };
    }
    case 'case.withdrawn': {
      const d = read(data.withdrawData, event.data);
      return { machineEvent: { type: 'case.withdraw' }, update: () => ({ nameCleared: d.clearName }) };
    }
    case 'appeal.submitted': {
      const d = read(data.appealData, event.data);
      same('outcomeInForce', record.outcome, d.outcomeInForce);
      const appeal = { reason: d.reason, by: actorId, at, decision: null, decidedBy: null, decidedAt: null, decisionReason: null };
      return { machineEvent: { type: 'appeal.submit', at }, update: (r) => ({ appeal: { ...appeal, originalOutcome: r.outcome } }) };
    }
    case 'appeal.upheld':
    case 'appeal.revised': {
      const d = read(data.appealDecisionData, event.data);
      same('decision', event.type === 'appeal.revised' ? 'revise' : 'uphold', d.decision);
      same('previousOutcome', record.outcome, d.previousOutcome);
      if (d.decision === 'uphold') {
        same('upheld outcome', record.outcome, d.outcome);
      }
      return {
        machineEvent: { type: 'appeal.decide', outcome: d.outcome, correctionComplete: rules.correctionComplete(record.correctiveActions) },
        update: (r) => ({
          reviewerIds: withActor(r.reviewerIds, actorId),
          appeal: r.appeal && { ...r.appeal, decision: d.decision, decidedBy: actorId, decidedAt: at, decisionReason: d.reason },
        }),
      };
    }
    case 'appeal-window.closed': {
      const d = read(data.appealWindowData, event.data);
      same('outcome', record.outcome, d.outcome);
      return { machineEvent: { type: 'deadline.appealWindow', correctionComplete: rules.correctionComplete(record.correctiveActions) } };
    }
    case 'deadline.escalated':
      return { machineEvent: { type: 'deadline.escalate' } };
    case 'corrective-action.added': {
      const d = read(data.actionAddedData, event.data);
      const action: ActionRecord = {
        id: d.actionId,
        description: d.description,
        status: 'open',
        dueAt: d.dueAt,
        createdAt: at,
        reportNote: null,
        reportedAt: null,
        verifyNote: null,
        verifiedAt: null,
      };
      return { machineEvent: { type: 'correction.add' }, update: (r) => ({ correctiveActions: [...r.correctiveActions, action] }) };
    }
    case 'corrective-action.reported': {
      const d = read(data.actionReportedData, event.data);
      const actions = changeAction(record, d.actionId, 'open', { status: 'reported', reportNote: d.note, reportedAt: at });
      return { machineEvent: { type: 'correction.report' }, update: () => ({ correctiveActions: actions }) };
    }
    case 'corrective-action.verified':
    case 'corrective-action.rejected': {
      const d = read(data.actionVerifiedData, event.data);
      same('accepted', event.type === 'corrective-action.verified', d.accepted);
      const actions = changeAction(record, d.actionId, 'reported', {
        status: d.accepted ? 'verified' : 'open',
        verifyNote: d.note,
        verifiedAt: d.accepted ? at : null,
      });
      return {
        machineEvent: { type: 'correction.verify', correctionComplete: rules.correctionComplete(actions) },
        update: () => ({ correctiveActions: actions }),
      };
    }
    case 'evidence.added': {
      const d = read(data.evidenceData, event.data);
      const evidence = {
        id: d.evidenceId,
        filename: d.filename,
        mediaType: d.mediaType,
        size: d.size,
        sha256: d.sha256,
        uploadedBy: actorId,
        at,
      };
      // Appended in place. A new array per event made replaying a case with 1,000 pieces copy half a
      // million entries: 10 MB of garbage per verify, and the collections behind its slow p99. Safe
      // because the replay owns its record's arrays (replay-case.ts starts each one empty), and this
      // event has no `check` that could diverge after the update. So a record that replay returns
      // never holds a half-applied event.
      return {
        machineEvent: { type: 'evidence.add' },
        update: (r) => {
          r.evidence.push(evidence);
          return {};
        },
      };
    }
    default:
      throw new Diverged(`unknown event type ${JSON.stringify(event.type)}`, 'a known event type', event.type);
  }
}

function changeAction(record: CaseRecord, actionId: string, mustBe: ActionRecord['status'], change: Partial<ActionRecord>): ActionRecord[] {
  const action = record.correctiveActions.find((a) => a.id === actionId);
  if (!action) {
    throw new Diverged(`corrective action ${actionId} was never added`, 'an added action', actionId);
  }
  same(`status of corrective action ${actionId}`, mustBe, action.status);
  return record.correctiveActions.map((a) => (a.id === actionId ? { ...a, ...change } : a));
}

/** The recommendation is recomputed from the recorded assessment with the pinned policy version. */
function assessmentMeaning(record: CaseRecord, event: HistoryEvent, policyOf: PolicyLookup): Meaning {
  const d = read(data.assessmentData, event.data);
  const raw = event.data as { assessment: Assessment; recommendation: Recommendation };
  const { id, version } = record.policy;
  const policy = policyOf(id, version);
  if (!policy) {
    throw new Diverged(`policy ${id} v${version} is not available to replay the assessment`, `${id} v${version}`, null);
  }
  const repeatOf = d.recommendation.repeatOf ?? null;
  const recomputed = annotateRepeat(evaluatePolicy(policy, { ...d.assessment, repeatError: repeatOf !== null }), repeatOf);
  same(`recommendation (policy ${id} v${version} on the recorded assessment)`, recomputed, raw.recommendation);
  return {
    machineEvent: { type: 'assessment.record', recommendedOutcome: recomputed.outcome },
    update: (r) => ({
      assessment: raw.assessment,
      recommendation: raw.recommendation,
      assessorIds: withActor(r.assessorIds, event.actorId),
    }),
  };
}
