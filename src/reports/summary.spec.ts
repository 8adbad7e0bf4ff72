import { describe, expect, it } from '@jest/globals';

import { type CaseGroup, summarise, type SummaryInput } from './summary.js';

const group = (over: Partial<CaseGroup>): CaseGroup => ({
  unitId: 'u1',
  category: 'procurement',
  outcome: null,
  recommendedOutcome: null,
  overridden: false,
  intent: null,
  motive: null,
  nature: null,
  appealed: false,
  appealDecision: null,
  decided: false,
  cases: 1,
  ...over,
});
const assessed = { intent: 'negligent', motive: 'public', nature: 'trial-and-error' } as const;
const input = (over: Partial<SummaryInput>): SummaryInput => ({
  groups: [],
  decisionMs: [],
  unitNames: new Map([
    ['u1', 'Township A'],
    ['u2', 'Township B'],
  ]),
  openByState: {},
  overdueByKind: {},
  overdueCases: 0,
  ...over,
});

describe('summarise', () => {
  const groups = [
    group({ cases: 2 }), // opened, not assessed
    group({ ...assessed, decided: true, outcome: 'tolerate', recommendedOutcome: 'tolerate', cases: 3 }),
    group({ ...assessed, decided: true, outcome: 'correct', recommendedOutcome: 'tolerate', overridden: true }),
    // decided tolerate at review, revised to correct on appeal: not an override, but the final differs
    group({
      ...assessed,
      unitId: 'u2',
      decided: true,
      outcome: 'correct',
      recommendedOutcome: 'tolerate',
      appealed: true,
      appealDecision: 'revise',
    }),
    group({
      intent: 'intentional',
      motive: 'public',
      nature: 'violation',
      unitId: 'u2',
      category: 'finance',
      decided: true,
      outcome: 'hold-accountable',
      recommendedOutcome: 'hold-accountable',
      appealed: true,
      appealDecision: 'uphold',
    }),
    group({
      intent: 'intentional',
      motive: 'public',
      nature: 'violation',
      unitId: 'u2',
      category: 'finance',
      decided: true,
      outcome: 'hold-accountable',
      recommendedOutcome: 'hold-accountable',
      appealed: true,
    }),
  ];
  const figures = summarise(input({ groups }));

  it('counts cases and decisions by final outcome', () => {
    expect(figures).toMatchObject({ cases: 9, decided: 7, byOutcome: { tolerate: 3, correct: 2, 'hold-accountable': 2 } });
  });

  it('computes the override rate from the reviewing leader’s departures only (改变建议率)', () => {
    expect(figures.overrides).toEqual({
      decided: 7,
      overridden: 1,
      rate: 0.1429,
      finalDiffersFromRecommendation: 2,
      finalDiffersRate: 0.2857,
    });
  });

  it('computes the appeal rate over decisions and the revision rate over rulings', () => {
    expect(figures.appeals).toEqual({ decided: 7, appealed: 3, rate: 0.4286, ruled: 2, revised: 1, revisionRate: 0.5 });
  });

  it('lists all eight three-distinction patterns in a fixed order, assessed cases only', () => {
    expect(figures.byPattern).toHaveLength(8);
    expect(figures.byPattern[0]).toEqual({
      intent: 'intentional',
      motive: 'private',
      nature: 'violation',
      cases: 0,
      decided: 0,
      byOutcome: { tolerate: 0, correct: 0, 'hold-accountable': 0 },
    });
    expect(
      figures.byPattern.find((p) => p.intent === 'negligent' && p.motive === 'public' && p.nature === 'trial-and-error'),
    ).toMatchObject({ cases: 5, decided: 5 });
    expect(figures.byPattern.reduce((sum, p) => sum + p.cases, 0)).toBe(7);
  });

  it('breaks down by category and unit, biggest first, with unit names', () => {
    expect(figures.byCategory.map((c) => [c.category, c.cases, c.decided])).toEqual([
      ['procurement', 7, 5],
      ['finance', 2, 2],
    ]);
    expect(figures.byUnit.map((u) => [u.name, u.cases])).toEqual([
      ['Township A', 6],
      ['Township B', 3],
    ]);
  });

  it('takes the median and p90 of calendar days from opening to decision', () => {
    const decisionMs = [10, 2, 4, 1, 3].map((days) => days * 86400000);
    // p90: rank 4 * 0.9 = 3.6 → 4 + 0.6 * (10 - 4) = 7.6
    expect(summarise(input({ decisionMs })).daysToDecision).toEqual({ cases: 5, median: 3, p90: 7.6 });
    expect(summarise(input({})).daysToDecision).toEqual({ cases: 0, median: null, p90: null });
  });

  it('reports every open state and deadline kind, zeros included', () => {
    const now = summarise(input({ openByState: { pendingReview: 2, correcting: 1 }, overdueByKind: { review: 2 }, overdueCases: 2 }));
    expect(now.open).toEqual({
      total: 3,
      byState: { awaitingExplanation: 0, underAssessment: 0, pendingReview: 2, decided: 0, appealReview: 0, correcting: 1 },
    });
    expect(now.overdue).toEqual({
      cases: 2,
      deadlines: 2,
      byKind: { explanation: 0, review: 2, appealWindow: 0, appealReview: 0, correction: 0 },
    });
  });

  it('has no rates without decisions', () => {
    expect(summarise(input({ groups: [group({})] })).overrides.rate).toBeNull();
  });
});
