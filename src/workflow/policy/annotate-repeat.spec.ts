import { describe, expect, it } from '@jest/globals';

import type { Recommendation } from '../case-types.js';
import { annotateRepeat } from './annotate-repeat.js';

/** A recommendation of the default table for a repeat error: R3 failed on `repeatError`, R4 fired. */
const recommendation: Recommendation = {
  outcome: 'correct',
  rule: 'R4-correct',
  policy: { id: 'default', version: 1 },
  trace: [
    {
      rule: 'R1-not-tolerable-side',
      description: 'not tolerable side',
      matched: false,
      checks: [{ fact: 'intent', op: 'equals', expected: 'intentional', actual: 'negligent', result: false }],
    },
    {
      rule: 'R3-tolerate',
      description: 'tolerate',
      matched: false,
      checks: [
        { fact: 'severity', op: 'notIn', expected: ['major'], actual: 'minor', result: true },
        { fact: 'repeatError', op: 'equals', expected: false, actual: true, result: false },
      ],
    },
    { rule: 'R4-correct', description: 'otherwise correct', matched: true, checks: [] },
  ],
};

const earlier = { caseId: '7b1c4c1e-0000-4000-8000-000000000001', decidedAt: '2025-06-01T08:00:00.000Z' };
const NOTE = `case ${earlier.caseId} of the same category was tolerated on ${earlier.decidedAt}`;

describe('annotateRepeat', () => {
  it('without an earlier case says so explicitly and changes nothing else', () => {
    expect(annotateRepeat(recommendation, null)).toEqual({ ...recommendation, repeatOf: null });
  });

  it('names the earlier case in the recommendation', () => {
    expect(annotateRepeat(recommendation, earlier).repeatOf).toEqual(earlier);
  });

  it('notes the earlier case beside every check that read repeatError, and only there', () => {
    const annotated = annotateRepeat(recommendation, earlier);
    const notes = annotated.trace.flatMap((rule) => rule.checks.map((check) => [rule.rule, check.fact, check.note]));
    expect(notes).toEqual([
      ['R1-not-tolerable-side', 'intent', undefined],
      ['R3-tolerate', 'severity', undefined],
      ['R3-tolerate', 'repeatError', NOTE],
    ]);
  });

  it('keeps the outcome, the rule that fired, the policy and each check’s comparison', () => {
    const annotated = annotateRepeat(recommendation, earlier);
    expect(annotated).toMatchObject({ outcome: 'correct', rule: 'R4-correct', policy: { id: 'default', version: 1 } });
    const strip = (r: Recommendation) => r.trace.map((rule) => ({ ...rule, checks: rule.checks.map(({ note: _n, ...check }) => check) }));
    expect(strip(annotated)).toEqual(strip(recommendation));
  });

  it('does not modify the recommendation it was given', () => {
    const before = structuredClone(recommendation);
    annotateRepeat(recommendation, earlier);
    expect(recommendation).toEqual(before);
  });

  it('annotates repeatError checks in every rule that read it', () => {
    const twice: Recommendation = {
      ...recommendation,
      trace: [
        ...recommendation.trace,
        {
          rule: 'R9-local',
          description: 'a local rule that also reads repeatError',
          matched: false,
          checks: [{ fact: 'repeatError', op: 'equals', expected: true, actual: true, result: true }],
        },
      ],
    };
    const notes = annotateRepeat(twice, earlier)
      .trace.flatMap((rule) => rule.checks)
      .filter((check) => check.note);
    expect(notes.map((check) => check.note)).toEqual([NOTE, NOTE]);
  });
});
