import { DomainError } from '../common/domain-error.js';
import { type Assessment, DECISION_FACTORS, type DecisionFacts, type Outcome, type Recommendation } from '../workflow/case-types.js';
import { type Counterfactual, counterfactuals } from '../workflow/policy/counterfactuals.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import type { CaseEntity } from './case.entity.js';

export interface DecisionFactorView {
  /** a policy fact: `intent`, `conditions.remedied`, …, `repeatError` */
  name: string;
  /** what the assessment recorded (for `repeatError`: what the service computed from the cadre's record) */
  value: string | boolean | string[];
  /** evidence the officer cited for this factor */
  evidenceIds: string[];
  /** the rules of the recommendation's trace that read this factor */
  readBy: string[];
  /** where a value came from when it is not the officer's input (the earlier case of a repeat error) */
  note?: string;
}

export interface FinalDecisionView {
  outcome: Outcome;
  /** the leader who decided: the reviewer, or the leader who ruled on the appeal */
  by: string;
  reason: string | null;
  at: string;
  source: 'review' | 'appeal';
}

export interface DecisionView {
  caseId: string;
  state: CaseEntity['state'];
  recommendation: Recommendation;
  final: FinalDecisionView | null;
  /** the reviewing leader chose an outcome other than the recommendation */
  overridden: boolean;
  /** an appeal ruling changed the outcome decided at review */
  revisedOnAppeal: boolean;
  factors: DecisionFactorView[];
  counterfactuals: Counterfactual[];
}

type DecisionSource = Pick<
  CaseEntity,
  'id' | 'state' | 'outcome' | 'recommendation' | 'assessment' | 'overridden' | 'review' | 'decidedAt' | 'appeal'
>;

function factorValue(assessment: Assessment, name: (typeof DECISION_FACTORS)[number]): DecisionFactorView['value'] {
  if (name.startsWith('conditions.')) {
    return assessment.conditions[name.slice('conditions.'.length) as keyof Assessment['conditions']];
  }
  const value = assessment[name as 'intent' | 'motive' | 'nature' | 'severity' | 'exclusions'];
  return Array.isArray(value) ? [...value] : value;
}

/**
 * Whether the recommendation treated the case as a repeat error. Newer recommendations carry `repeatOf`
 * (null when not a repeat); older ones only the trace, when a rule read the fact.
 */
export function recordedRepeatError(recommendation: Recommendation): boolean {
  if (recommendation.repeatOf !== undefined) {
    return recommendation.repeatOf !== null;
  }
  const read = recommendation.trace.flatMap((rule) => rule.checks).find((check) => check.fact === 'repeatError');
  return read?.actual === true;
}

/** The decision in force: the appeal ruling when there was one, else the review's approval or override. */
function finalDecision(row: DecisionSource): FinalDecisionView | null {
  const { appeal, review } = row;
  if (row.outcome === null) {
    return null;
  }
  if (appeal?.decision && appeal.decidedBy && appeal.decidedAt) {
    return { outcome: row.outcome, by: appeal.decidedBy, reason: appeal.decisionReason, at: appeal.decidedAt, source: 'appeal' };
  }
  if (review && review.decision !== 'return' && row.decidedAt) {
    return { outcome: row.outcome, by: review.by, reason: review.reason, at: review.at, source: 'review' };
  }
  return null;
}

/**
 * What a decision turned on: the recommendation with its trace, the final decision beside it, each factor
 * with the evidence cited for it, and the outcome had any one input been different under the pinned policy.
 */
export function toDecisionView(row: DecisionSource, policy: Policy): DecisionView {
  const { assessment, recommendation } = row;
  if (!assessment || !recommendation) {
    throw DomainError.conflict(`no recommendation yet: the case has not been assessed (state ${row.state})`, 'STATE');
  }
  const repeatError = recordedRepeatError(recommendation);
  const readBy = (fact: string) =>
    recommendation.trace.filter((rule) => rule.checks.some((check) => check.fact === fact)).map((rule) => rule.rule);
  const factors: DecisionFactorView[] = DECISION_FACTORS.map((name) => ({
    name,
    value: factorValue(assessment, name),
    evidenceIds: [...(assessment.evidence?.[name] ?? [])],
    readBy: readBy(name),
  }));
  factors.push({
    name: 'repeatError',
    value: repeatError,
    evidenceIds: [],
    readBy: readBy('repeatError'),
    ...(recommendation.repeatOf
      ? { note: `case ${recommendation.repeatOf.caseId} of the same category was tolerated on ${recommendation.repeatOf.decidedAt}` }
      : {}),
  });
  const facts: DecisionFacts = {
    intent: assessment.intent,
    motive: assessment.motive,
    nature: assessment.nature,
    conditions: { ...assessment.conditions },
    severity: assessment.severity,
    exclusions: [...assessment.exclusions],
    repeatError,
  };
  const final = finalDecision(row);
  return {
    caseId: row.id,
    state: row.state,
    recommendation,
    final,
    overridden: row.overridden,
    revisedOnAppeal: row.appeal?.decision === 'revise',
    factors,
    counterfactuals: counterfactuals(policy, facts),
  };
}
