/**
 * Vocabulary of a case, shared by the machine, the policy and the HTTP layer.
 * Values are the API values; domain.md gives the Chinese terms.
 */
export const INTENTS = ['intentional', 'negligent'] as const;
export const MOTIVES = ['private', 'public'] as const;
export const NATURES = ['violation', 'trial-and-error'] as const;
export const SEVERITIES = ['minor', 'serious', 'major'] as const;
export const EXCLUSIONS = ['dereliction', 'arbitrary-decision', 'major-accident'] as const;
export const OUTCOMES = ['tolerate', 'correct', 'hold-accountable'] as const;
export const CONDITIONS = ['policyCompliant', 'procedureFollowed', 'diligent', 'remedied'] as const;
export const CASE_SOURCES = ['report', 'audit', 'inspection', 'self-application', 'other'] as const;
export const ROLES = ['officer', 'cadre', 'leader', 'admin'] as const;

export type Intent = (typeof INTENTS)[number];
export type Motive = (typeof MOTIVES)[number];
export type Nature = (typeof NATURES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Exclusion = (typeof EXCLUSIONS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type ConditionName = (typeof CONDITIONS)[number];
export type CaseSource = (typeof CASE_SOURCES)[number];
export type Role = (typeof ROLES)[number];

export type ToleranceConditions = Record<ConditionName, boolean>;

/**
 * The inputs of a decision an officer answers from evidence, named as the policy's facts (and the trace)
 * name them. An assessment may cite evidence ids per factor; the decision view lists them.
 */
export const DECISION_FACTORS = [
  'intent',
  'motive',
  'nature',
  'severity',
  'exclusions',
  'conditions.policyCompliant',
  'conditions.procedureFollowed',
  'conditions.diligent',
  'conditions.remedied',
] as const;
export type DecisionFactor = (typeof DECISION_FACTORS)[number];
/** Evidence ids cited per factor, e.g. `{ intent: [id1], 'conditions.remedied': [id2] }`. */
export type FactorEvidence = Partial<Record<DecisionFactor, string[]>>;

/** What the officer records under assessment: the three distinctions plus conditions. */
export interface Assessment {
  intent: Intent;
  motive: Motive;
  nature: Nature;
  conditions: ToleranceConditions;
  severity: Severity;
  exclusions: Exclusion[];
  findings: string;
  /** evidence the officer cites per factor (absent in assessments recorded before evidence existed) */
  evidence?: FactorEvidence;
}

/** The inputs a policy reads. `repeatError` is computed by the service from the cadre's history. */
export interface DecisionFacts {
  intent: Intent;
  motive: Motive;
  nature: Nature;
  conditions: ToleranceConditions;
  severity: Severity;
  exclusions: Exclusion[];
  repeatError: boolean;
}

export interface PolicyRef {
  id: string;
  version: number;
}

/** A value a policy check compares: a fact's value or a list of them. */
export type TraceValue = string | number | boolean | null | Array<string | boolean>;

/** One comparison a rule made, kept so a reader sees exactly what was read. */
export interface CheckTrace {
  fact: string;
  op: string;
  expected: TraceValue;
  actual: TraceValue;
  result: boolean;
  /** where a fact came from when it is not the officer's input (e.g. the earlier case of a repeat error) */
  note?: string;
}

export interface RuleTrace {
  rule: string;
  description: string;
  matched: boolean;
  checks: CheckTrace[];
}

export interface Recommendation {
  outcome: Outcome;
  /** id of the rule that fired */
  rule: string;
  /** every rule evaluated, in order, up to and including the one that fired */
  trace: RuleTrace[];
  policy: PolicyRef;
  /** the earlier tolerated case when this is a repeat error */
  repeatOf?: { caseId: string; decidedAt: string } | null;
}

/** An appeal (申诉) and its ruling, as the case keeps it. */
export interface AppealRecord {
  reason: string;
  by: string;
  at: string;
  decision: 'uphold' | 'revise' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  /** the outcome in force before the appeal was decided */
  originalOutcome: Outcome | null;
}

/** A leader's review of a proposal, as the case keeps it. */
export interface ReviewRecord {
  decision: 'approve' | 'return' | 'override';
  by: string;
  reason: string | null;
  at: string;
}
