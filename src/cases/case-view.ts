import type { AuthUser } from '../auth/auth-user.js';
import { etagOf } from '../common/if-match.js';
import { allowedActions, type CaseCommand } from '../workflow/case-access.js';
import type { CaseState } from '../workflow/case-machine.js';
import type { Assessment, Outcome, PolicyRef, Recommendation } from '../workflow/case-types.js';
import type { DeadlineKind } from '../workflow/deadline-plan.js';
import type { CaseRecord } from '../workflow/replay/case-record.js';
import type { AppealRecord, ReviewRecord } from './case.entity.js';
import { type CaseAggregate, participantsOf } from './case-aggregate.js';
import type { CorrectiveActionEntity } from './corrective-action.entity.js';

export interface CorrectiveActionView {
  id: string;
  description: string;
  status: CorrectiveActionEntity['status'];
  dueAt: string;
  overdue: boolean;
  reportNote: string | null;
  reportedAt: string | null;
  verifyNote: string | null;
  verifiedAt: string | null;
  createdAt: string;
}

/** The contract's case view plus what a real client needs (extra fields are allowed). */
export interface CaseView {
  id: string;
  state: CaseState;
  outcome: Outcome | null;
  recommendation: Recommendation | null;
  overridden: boolean;
  subjectId: string;
  unitId: string;
  openedBy: string;
  title: string;
  description: string;
  category: string;
  source: string;
  occurredAt: string;
  policy: PolicyRef;
  explanation: string | null;
  /** evidence the explanation cites */
  explanationEvidenceIds: string[];
  assessment: Assessment | null;
  review: ReviewRecord | null;
  decidedAt: string | null;
  appeal: AppealRecord | null;
  appealDueAt: string | null;
  correctiveActions: CorrectiveActionView[];
  deadlines: Array<{ kind: DeadlineKind; dueAt: string; overdue: boolean; actionId: string | null }>;
  /** users recused from this cadre's cases (回避), and why */
  recusals: Array<{ userId: string; reason: string }>;
  nameCleared: boolean;
  closedAt: string | null;
  version: number;
  allowedActions: CaseCommand[];
  createdAt: string;
  updatedAt: string;
}

export function toActionView(action: CorrectiveActionEntity, now: Date): CorrectiveActionView {
  return {
    id: action.id,
    description: action.description,
    status: action.status,
    dueAt: action.dueAt,
    overdue: action.status !== 'verified' && action.dueAt < now.toISOString(),
    reportNote: action.reportNote,
    reportedAt: action.reportedAt,
    verifyNote: action.verifyNote,
    verifiedAt: action.verifiedAt,
    createdAt: action.createdAt,
  };
}

export function toCaseView(aggregate: CaseAggregate, caller: AuthUser, now: Date): CaseView {
  const { row } = aggregate;
  const at = now.toISOString();
  return {
    id: row.id,
    state: row.state,
    outcome: row.outcome,
    recommendation: row.recommendation,
    overridden: row.overridden,
    subjectId: row.subjectId,
    unitId: row.unitId,
    openedBy: row.openedBy,
    title: row.title,
    description: row.description,
    category: row.category,
    source: row.source,
    occurredAt: row.occurredAt,
    policy: { id: row.policyId, version: row.policyVersion },
    explanation: row.explanation,
    explanationEvidenceIds: row.explanationEvidenceIds ?? [],
    assessment: row.assessment,
    review: row.review,
    decidedAt: row.decidedAt,
    appeal: row.appeal,
    appealDueAt: row.snapshot.context.appealDueAt ?? null,
    correctiveActions: aggregate.actions.map((action) => toActionView(action, now)),
    deadlines: aggregate.deadlines.map((d) => ({ kind: d.kind, dueAt: d.dueAt, overdue: d.dueAt < at, actionId: d.actionId })),
    recusals: aggregate.conflicts.map((c) => ({ userId: c.userId, reason: c.reason })),
    nameCleared: row.nameCleared,
    closedAt: row.closedAt,
    version: row.version,
    allowedActions: allowedActions(row.snapshot, participantsOf(aggregate), caller, at),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * The case as it stood at `asOf`, from replay. It describes what had happened, not what can be done:
 * no allowed actions, and no deadlines or recusals (those are today's, not history's).
 */
export function toHistoricalView(record: CaseRecord, asOf: string): CaseView & { asOf: string } {
  const { snapshot, assessorIds, reviewerIds, evidence, ...facts } = record;
  return {
    ...facts,
    correctiveActions: record.correctiveActions.map((a) => ({ ...a, overdue: a.status !== 'verified' && a.dueAt < asOf })),
    deadlines: [],
    recusals: [],
    allowedActions: [],
    asOf,
  };
}

type Reply = { header(name: string, value: string): unknown };

/** Sets the case's ETag: its version, which If-Match names. */
export function setCaseEtag(reply: Reply, aggregate: CaseAggregate): void {
  reply.header('ETag', etagOf(aggregate.row.version));
}

/** Sets the case's ETag and builds the view for the caller. */
export function replyWithCase(reply: Reply, aggregate: CaseAggregate, caller: AuthUser, now: Date): CaseView {
  setCaseEtag(reply, aggregate);
  return toCaseView(aggregate, caller, now);
}
