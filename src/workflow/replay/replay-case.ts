/**
 * Replays a case's audit events from the initial state, each through the machine version it was
 * accepted under and the policy version the case pinned, and says where (if anywhere) the history stops
 * making sense: an event the machine would not have taken, a recorded transition or case version that
 * differs from the one replay produces, a recommendation the policy does not give for the recorded
 * assessment, a derived value (the outcome in force, an action's status) that contradicts what came
 * before. The hash chain proves events were not edited after the fact; replay proves they mean what the
 * case row claims — and works offline on a dossier.
 *
 * Pure: no database, no clock, no framework.
 */
import canonicalize from 'canonicalize';
import type { z } from 'zod';
import type { CaseEvent, CaseMachine } from '../case-machine.js';
import { machineFor, MACHINE_VERSIONS, rules } from '../case-machine.js';
import { applyEvent, initialSnapshot } from '../case-workflow.js';
import type { Assessment, Recommendation } from '../case-types.js';
import { annotateRepeat } from '../policy/annotate-repeat.js';
import { evaluatePolicy } from '../policy/evaluate-policy.js';
import type { Policy } from '../policy/policy-schema.js';
import { type ActionRecord, caseFacts, type CaseRecord, type HistoryEvent } from './case-record.js';
import * as data from './event-data.js';

export type PolicyLookup = (id: string, version: number) => Policy | undefined;

/** Where replay and the record part ways: the event's seq (null for the stored case itself), why, and both sides. */
export interface Divergence {
  seq: number | null;
  reason: string;
  expected: unknown;
  actual: unknown;
}

export interface ReplayResult {
  /** the case as the events up to the divergence (or all of them) make it; null before the opening */
  record: CaseRecord | null;
  divergence: Divergence | null;
  /** how many events were replayed without divergence */
  replayed: number;
}

class Diverged extends Error {
  constructor(
    readonly reason: string,
    readonly expected: unknown,
    readonly actual: unknown,
  ) {
    super(reason);
  }
}

const canonical = (value: unknown): string | undefined => canonicalize(value ?? null);

function same(what: string, expected: unknown, actual: unknown): void {
  if (canonical(expected) !== canonical(actual)) {
    throw new Diverged(`${what} differs from what replay gives`, expected, actual);
  }
}

function read<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Diverged(`event data is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'well-formed data', value);
  }
  return parsed.data;
}

function machineOf(event: HistoryEvent): CaseMachine {
  const machine = machineFor(event.machineVersion);
  if (!machine) {
    throw new Diverged(`machine version ${event.machineVersion} is not known to this build`, MACHINE_VERSIONS, event.machineVersion);
  }
  return machine;
}

/**
 * Replays `events` (in the order given, which must be seq order). With `until`, stops before the first
 * event recorded after that instant: the case as it stood then.
 */
export function replayCase(caseId: string, events: readonly HistoryEvent[], policyOf: PolicyLookup, until?: string): ReplayResult {
  let record: CaseRecord | null = null;
  let replayed = 0;
  for (const [index, event] of events.entries()) {
    if (until !== undefined && event.at > until) {
      break;
    }
    try {
      same('seq', index + 1, event.seq);
      record = record === null ? open(caseId, event) : step(record, event, policyOf);
      replayed++;
    } catch (error) {
      if (!(error instanceof Diverged)) {
        throw error;
      }
      return { record, divergence: { seq: event.seq, reason: error.reason, expected: error.expected, actual: error.actual }, replayed };
    }
  }
  return { record, divergence: null, replayed };
}

function open(caseId: string, event: HistoryEvent): CaseRecord {
  if (event.type !== 'case.opened') {
    throw new Diverged('the first event must open the case', 'case.opened', event.type);
  }
  const opened = read(data.openedData, event.data);
  const snapshot = initialSnapshot(machineOf(event));
  same('initial state', snapshot.value, opened.state);
  return {
    id: caseId,
    state: snapshot.value,
    snapshot,
    outcome: null,
    recommendation: null,
    overridden: false,
    subjectId: opened.subjectId,
    unitId: opened.unitId,
    openedBy: event.actorId,
    title: opened.title,
    description: opened.description,
    category: opened.category,
    source: opened.source,
    occurredAt: opened.occurredAt,
    policy: { id: opened.policy.id, version: opened.policy.version },
    explanation: null,
    explanationEvidenceIds: [],
    assessment: null,
    assessorIds: [],
    reviewerIds: [],
    review: null,
    decidedAt: null,
    appeal: null,
    appealDueAt: null,
    nameCleared: false,
    closedAt: null,
    correctiveActions: [],
    evidence: [],
    version: 1,
    createdAt: event.at,
    updatedAt: event.at,
  };
}

/** What one recorded event means: the machine event it stood for, and how it changes the case. */
interface Meaning {
  machineEvent: CaseEvent;
  update?: (r: CaseRecord) => Partial<CaseRecord>;
  /** consistency checks that need the machine's result */
  check?: (next: CaseRecord) => void;
}

function step(record: CaseRecord, event: HistoryEvent, policyOf: PolicyLookup): CaseRecord {
  const machine = machineOf(event);
  const envelope = read(data.commandEnvelope, event.data);
  const meaning = interpret(record, event, policyOf);
  const next = applyEvent(record.snapshot, meaning.machineEvent, machine);
  if (!next) {
    throw new Diverged(
      `${event.type} (${meaning.machineEvent.type}) is not possible while the case is ${record.state} (machine v${event.machineVersion})`,
      null,
      event.type,
    );
  }
  same('transition', { from: record.state, to: next.value }, envelope.transition);
  same('caseVersion', record.version + 1, envelope.caseVersion);
  const updated: CaseRecord = {
    ...record,
    ...meaning.update?.(record),
    state: next.value,
    snapshot: next,
    outcome: next.context.outcome,
    overridden: next.context.overridden,
    appealDueAt: next.context.appealDueAt ?? null,
    version: record.version + 1,
    updatedAt: event.at,
    closedAt: record.closedAt ?? (next.value === 'closed' ? event.at : null),
  };
  meaning.check?.(updated);
  return updated;
}

const withActor = (ids: string[], actorId: string): string[] => (ids.includes(actorId) ? ids : [...ids, actorId]);

function interpret(record: CaseRecord, event: HistoryEvent, policyOf: PolicyLookup): Meaning {
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
        update: (r) => ({ review: { decision: 'return', by: actorId, reason: d.reason, at }, reviewerIds: withActor(r.reviewerIds, actorId) }),
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
      const evidence = { id: d.evidenceId, filename: d.filename, mediaType: d.mediaType, size: d.size, sha256: d.sha256, uploadedBy: actorId, at };
      return { machineEvent: { type: 'evidence.add' }, update: (r) => ({ evidence: [...r.evidence, evidence] }) };
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
    update: (r) => ({ assessment: raw.assessment, recommendation: raw.recommendation, assessorIds: withActor(r.assessorIds, event.actorId) }),
  };
}

/**
 * The first field (of `fields`) where a stored case (or a case view) differs from the replayed record,
 * or null. Both sides are cut to their comparable facts first.
 */
export function firstDifference(
  record: CaseRecord,
  stored: Parameters<typeof caseFacts>[0],
  fields: ReadonlyArray<keyof CaseRecord>,
): { field: keyof CaseRecord; expected: unknown; actual: unknown } | null {
  const expected = caseFacts(record);
  const actual = caseFacts(stored);
  for (const field of fields) {
    if (canonical(expected[field]) !== canonical(actual[field])) {
      return { field, expected: expected[field] ?? null, actual: actual[field] ?? null };
    }
  }
  return null;
}
