import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { DomainError } from '../common/domain-error.js';
import type { Assessment } from '../workflow/case-types.js';
import { annotateRepeat } from '../workflow/policy/annotate-repeat.js';
import { evaluatePolicy } from '../workflow/policy/evaluate-policy.js';
import { parsePolicy } from '../workflow/policy/policy-schema.js';
import type { CaseEntity } from './case.entity.js';
import { recordedRepeatError, toDecisionView } from './decision-view.js';

const SOURCE = 'config/policies/default-v1.json';
const policy = parsePolicy(JSON.parse(readFileSync(join(process.cwd(), SOURCE), 'utf8')), SOURCE);

const E1 = '11111111-1111-4111-8111-111111111111';
const E2 = '22222222-2222-4222-8222-222222222222';

const ASSESSMENT: Assessment = {
  intent: 'negligent',
  motive: 'public',
  nature: 'trial-and-error',
  conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: false },
  severity: 'serious',
  exclusions: [],
  findings: 'Loss not yet recovered.',
  evidence: { intent: [E1], 'conditions.remedied': [E1, E2] },
};

type Row = Parameters<typeof toDecisionView>[0];

function assessed(assessment: Assessment = ASSESSMENT, extra: Partial<CaseEntity> = {}): Row {
  const recommendation = annotateRepeat(evaluatePolicy(policy, { ...assessment, repeatError: false }), null);
  return {
    id: 'case-1',
    state: 'pendingReview',
    outcome: null,
    recommendation,
    assessment,
    overridden: false,
    review: null,
    decidedAt: null,
    appeal: null,
    ...extra,
  };
}

describe('toDecisionView', () => {
  it('refuses with 409 before an assessment is recorded', () => {
    const row = { ...assessed(), state: 'underAssessment' as const, assessment: null, recommendation: null };
    expect(() => toDecisionView(row, policy)).toThrow(DomainError);
    expect(() => toDecisionView(row, policy)).toThrow('no recommendation yet');
    try {
      toDecisionView(row, policy);
    } catch (error) {
      expect((error as DomainError).code).toBe('CONFLICT');
    }
  });

  it('lists every decision factor with its recorded value and the evidence cited for it', () => {
    const view = toDecisionView(assessed(), policy);
    expect(view.factors.map(({ name, value, evidenceIds }) => ({ name, value, evidenceIds }))).toEqual([
      { name: 'intent', value: 'negligent', evidenceIds: [E1] },
      { name: 'motive', value: 'public', evidenceIds: [] },
      { name: 'nature', value: 'trial-and-error', evidenceIds: [] },
      { name: 'severity', value: 'serious', evidenceIds: [] },
      { name: 'exclusions', value: [], evidenceIds: [] },
      { name: 'conditions.policyCompliant', value: true, evidenceIds: [] },
      { name: 'conditions.procedureFollowed', value: true, evidenceIds: [] },
      { name: 'conditions.diligent', value: true, evidenceIds: [] },
      { name: 'conditions.remedied', value: false, evidenceIds: [E1, E2] },
      { name: 'repeatError', value: false, evidenceIds: [] },
    ]);
    // R1 read the distinctions, R2 the exclusions, R3 the conditions, severity and repeat flag.
    expect(view.factors.find((f) => f.name === 'intent')?.readBy).toEqual(['R1-not-tolerable-side']);
    expect(view.factors.find((f) => f.name === 'conditions.remedied')?.readBy).toEqual(['R3-tolerate']);
  });

  it('gives empty evidence lists for an assessment recorded before evidence existed', () => {
    const old: Assessment = { ...ASSESSMENT };
    delete old.evidence;
    const view = toDecisionView(assessed(old), policy);
    expect(view.factors.every((f) => f.evidenceIds.length === 0)).toBe(true);
  });

  it('shows the recommendation, no final decision yet, and what the outcome turned on', () => {
    const view = toDecisionView(assessed(), policy);
    expect(view.recommendation).toMatchObject({ outcome: 'correct', rule: 'R4-correct', policy: { id: 'default', version: 1 } });
    expect(view.final).toBeNull();
    expect(view.overridden).toBe(false);
    const flips = view.counterfactuals.filter((cf) => cf.changesOutcome);
    expect(flips).toContainEqual({
      change: { 'conditions.remedied': true },
      outcome: 'tolerate',
      rule: 'R3-tolerate',
      changesOutcome: true,
    });
    expect(flips).toContainEqual({
      change: { intent: 'intentional' },
      outcome: 'hold-accountable',
      rule: 'R1-not-tolerable-side',
      changesOutcome: true,
    });
  });

  it('the final decision is the review’s: approval, or override with its reason', () => {
    const approved = toDecisionView(
      assessed(ASSESSMENT, {
        state: 'decided',
        outcome: 'correct',
        decidedAt: '2026-01-06T00:00:00.000Z',
        review: { decision: 'approve', by: 'leader-1', reason: null, at: '2026-01-06T00:00:00.000Z' },
      }),
      policy,
    );
    expect(approved.final).toEqual({ outcome: 'correct', by: 'leader-1', reason: null, at: '2026-01-06T00:00:00.000Z', source: 'review' });

    const overridden = toDecisionView(
      assessed(ASSESSMENT, {
        state: 'decided',
        outcome: 'tolerate',
        overridden: true,
        decidedAt: '2026-01-06T00:00:00.000Z',
        review: { decision: 'override', by: 'leader-1', reason: 'Recovery is under way.', at: '2026-01-06T00:00:00.000Z' },
      }),
      policy,
    );
    expect(overridden).toMatchObject({
      recommendation: { outcome: 'correct' },
      final: { outcome: 'tolerate', by: 'leader-1', reason: 'Recovery is under way.', source: 'review' },
      overridden: true,
    });
  });

  it('a return for more work is no final decision', () => {
    const view = toDecisionView(
      assessed(ASSESSMENT, { state: 'underAssessment', review: { decision: 'return', by: 'leader-1', reason: 'More.', at: 'x' } }),
      policy,
    );
    expect(view.final).toBeNull();
  });

  it('after an appeal ruling, the final decision is the appeal’s', () => {
    const view = toDecisionView(
      assessed(ASSESSMENT, {
        state: 'closed',
        outcome: 'tolerate',
        decidedAt: '2026-01-06T00:00:00.000Z',
        review: { decision: 'approve', by: 'leader-1', reason: null, at: '2026-01-06T00:00:00.000Z' },
        appeal: {
          reason: 'The loss was recovered meanwhile.',
          by: 'cadre-1',
          at: '2026-01-07T00:00:00.000Z',
          decision: 'revise',
          decidedBy: 'leader-2',
          decidedAt: '2026-01-08T00:00:00.000Z',
          decisionReason: 'Recovered in full.',
          originalOutcome: 'correct',
        },
      }),
      policy,
    );
    expect(view.final).toEqual({
      outcome: 'tolerate',
      by: 'leader-2',
      reason: 'Recovered in full.',
      at: '2026-01-08T00:00:00.000Z',
      source: 'appeal',
    });
    expect(view.revisedOnAppeal).toBe(true);
  });

  it('keeps a repeat error as recorded, names the earlier case, and flips it in a counterfactual', () => {
    const assessment: Assessment = { ...ASSESSMENT, conditions: { ...ASSESSMENT.conditions, remedied: true } };
    const repeatOf = { caseId: 'earlier-case', decidedAt: '2025-06-01T00:00:00.000Z' };
    const recommendation = annotateRepeat(evaluatePolicy(policy, { ...assessment, repeatError: true }), repeatOf);
    const view = toDecisionView({ ...assessed(assessment), recommendation }, policy);
    expect(view.recommendation.outcome).toBe('correct');
    expect(view.factors.at(-1)).toMatchObject({ name: 'repeatError', value: true, note: expect.stringContaining('earlier-case') });
    expect(view.counterfactuals).toContainEqual({
      change: { repeatError: false },
      outcome: 'tolerate',
      rule: 'R3-tolerate',
      changesOutcome: true,
    });
  });

  it('reads the repeat flag from the trace of a recommendation without repeatOf', () => {
    const assessment: Assessment = { ...ASSESSMENT, conditions: { ...ASSESSMENT.conditions, remedied: true } };
    const withoutRepeatOf = evaluatePolicy(policy, { ...assessment, repeatError: true });
    expect(withoutRepeatOf).not.toHaveProperty('repeatOf');
    expect(recordedRepeatError(withoutRepeatOf)).toBe(true);
    expect(recordedRepeatError(evaluatePolicy(policy, { ...assessment, repeatError: false }))).toBe(false);
  });
});
