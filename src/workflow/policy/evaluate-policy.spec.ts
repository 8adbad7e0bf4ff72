import { describe, expect, it } from '@jest/globals';

import { allFacts, defaultPolicy, oracle, TOLERATED as tolerable } from '../../../test/support/default-table.js';
import type { DecisionFacts, Exclusion, ToleranceConditions } from '../case-types.js';
import { evaluatePolicy } from './evaluate-policy.js';
import { parsePolicy, type Policy } from './policy-schema.js';

describe('evaluatePolicy with the default policy', () => {
  it('agrees with the decision table on every combination of facts (6144 cases)', () => {
    let count = 0;
    const mismatches: string[] = [];
    const tally: Record<string, number> = {};
    for (const facts of allFacts()) {
      count++;
      const expected = oracle(facts);
      const rec = evaluatePolicy(defaultPolicy, facts);
      tally[rec.rule] = (tally[rec.rule] ?? 0) + 1;

      const last = rec.trace.at(-1);
      const firedIndex = defaultPolicy.rules.findIndex((r) => r.id === expected.rule);
      const problems = [
        rec.outcome !== expected.outcome && `outcome ${rec.outcome} ≠ ${expected.outcome}`,
        rec.rule !== expected.rule && `rule ${rec.rule} ≠ ${expected.rule}`,
        (last?.rule !== rec.rule || !last.matched) && 'trace does not end with the fired rule',
        rec.trace.length !== firedIndex + 1 && `trace has ${rec.trace.length} rules, expected ${firedIndex + 1}`,
        rec.trace.slice(0, -1).some((t) => t.matched) && 'an earlier rule in the trace matched',
        rec.policy.id !== 'default' || rec.policy.version !== 1 ? 'wrong policy ref' : false,
      ].filter(Boolean);
      // every check in the trace reports the fact value it actually read
      for (const t of rec.trace) {
        for (const c of t.checks) {
          const actual = c.fact.startsWith('conditions.')
            ? facts.conditions[c.fact.slice('conditions.'.length) as keyof ToleranceConditions]
            : facts[c.fact as keyof DecisionFacts];
          if (JSON.stringify(c.actual) !== JSON.stringify(actual)) {
            problems.push(`check on ${c.fact} read wrong value`);
          }
        }
      }
      if (problems.length) {
        mismatches.push(`${JSON.stringify(facts)}: ${problems.join('; ')}`);
      }
    }
    expect(count).toBe(2 * 2 * 2 * 16 * 3 * 8 * 2);
    expect(mismatches.slice(0, 5)).toEqual([]);
    // tolerable side: 16 cond × 3 sev × 8 excl × 2 rep = 768; of those 1 × 2 × 1 × 1 = 2 tolerate, 704 have exclusions
    expect(tally).toEqual({
      'R1-not-tolerable-side': 6144 - 768,
      'R2-negative-list': 768 - 96,
      'R3-tolerate': 2,
      'R4-correct': 96 - 2,
    });
  });

  it('records every leaf check of a rule, without short-circuiting', () => {
    const rec = evaluatePolicy(defaultPolicy, { ...tolerable, intent: 'intentional', motive: 'private' });
    expect(rec.trace).toHaveLength(1);
    expect(rec.trace[0].checks).toEqual([
      { fact: 'intent', op: 'equals', expected: 'intentional', actual: 'intentional', result: true },
      { fact: 'motive', op: 'equals', expected: 'private', actual: 'private', result: true },
      { fact: 'nature', op: 'equals', expected: 'violation', actual: 'trial-and-error', result: false },
    ]);
  });

  describe('named examples', () => {
    it('negligent, public, trial-and-error, all conditions, minor → tolerate by R3', () => {
      const rec = evaluatePolicy(defaultPolicy, tolerable);
      expect(rec).toMatchObject({ outcome: 'tolerate', rule: 'R3-tolerate', policy: { id: 'default', version: 1 } });
      expect(rec.trace.map((t) => [t.rule, t.matched])).toEqual([
        ['R1-not-tolerable-side', false],
        ['R2-negative-list', false],
        ['R3-tolerate', true],
      ]);
      expect(rec.trace[2].checks.map((c) => c.fact)).toEqual([
        'conditions.policyCompliant',
        'conditions.procedureFollowed',
        'conditions.diligent',
        'conditions.remedied',
        'severity',
        'repeatError',
      ]);
      expect(rec.trace[2].description).toMatch(/容错免责/);
    });

    it('serious harm but otherwise tolerable → still tolerate by R3', () => {
      expect(evaluatePolicy(defaultPolicy, { ...tolerable, severity: 'serious' }).rule).toBe('R3-tolerate');
    });

    it('intentional (明知故犯) → hold-accountable by R1', () => {
      const rec = evaluatePolicy(defaultPolicy, { ...tolerable, intent: 'intentional' });
      expect(rec).toMatchObject({ outcome: 'hold-accountable', rule: 'R1-not-tolerable-side' });
    });

    it('private gain (因私) → hold-accountable by R1', () => {
      expect(evaluatePolicy(defaultPolicy, { ...tolerable, motive: 'private' }).rule).toBe('R1-not-tolerable-side');
    });

    it('acting against an express ban (违规) → hold-accountable by R1', () => {
      expect(evaluatePolicy(defaultPolicy, { ...tolerable, nature: 'violation' }).rule).toBe('R1-not-tolerable-side');
    });

    it('good faith but arbitrary decision (个人专断) on the negative list → hold-accountable by R2', () => {
      const rec = evaluatePolicy(defaultPolicy, { ...tolerable, exclusions: ['arbitrary-decision'] });
      expect(rec).toMatchObject({ outcome: 'hold-accountable', rule: 'R2-negative-list' });
      expect(rec.trace[1].checks).toEqual([
        { fact: 'exclusions', op: 'nonEmpty', expected: true, actual: ['arbitrary-decision'], result: true },
      ]);
    });

    it('major harm → correct by R4', () => {
      const rec = evaluatePolicy(defaultPolicy, { ...tolerable, severity: 'major' });
      expect(rec).toMatchObject({ outcome: 'correct', rule: 'R4-correct' });
      expect(rec.trace).toHaveLength(4);
      expect(rec.trace[3].checks).toEqual([]);
    });

    it('loss not remedied → correct by R4', () => {
      const facts = { ...tolerable, conditions: { ...tolerable.conditions, remedied: false } };
      expect(evaluatePolicy(defaultPolicy, facts).outcome).toBe('correct');
    });

    it('repeat of an error already tolerated → correct by R4', () => {
      expect(evaluatePolicy(defaultPolicy, { ...tolerable, repeatError: true }).rule).toBe('R4-correct');
    });
  });
});

describe('evaluatePolicy operators', () => {
  const policyWith = (when: unknown): Policy =>
    parsePolicy(
      {
        ...defaultPolicy,
        rules: [
          { id: 'probe', description: 'probe', when, outcome: 'tolerate' },
          { id: 'rest', description: 'rest', when: { always: true }, outcome: 'correct' },
        ],
      },
      'test',
    );
  const fires = (when: unknown, facts: DecisionFacts = tolerable) => evaluatePolicy(policyWith(when), facts).rule;

  it('in / notIn', () => {
    expect(fires({ fact: 'severity', in: ['minor', 'serious'] })).toBe('probe');
    expect(fires({ fact: 'severity', notIn: ['minor'] })).toBe('rest');
  });

  it('includesAny', () => {
    const when = { fact: 'exclusions', includesAny: ['major-accident', 'dereliction'] };
    expect(fires(when, { ...tolerable, exclusions: ['arbitrary-decision'] })).toBe('rest');
    expect(fires(when, { ...tolerable, exclusions: ['arbitrary-decision', 'dereliction'] })).toBe('probe');
  });

  it('not, and nesting', () => {
    expect(fires({ not: { fact: 'repeatError', equals: true } })).toBe('probe');
    expect(fires({ all: [{ any: [{ fact: 'intent', equals: 'intentional' }] }, { fact: 'motive', equals: 'public' }] })).toBe('rest');
  });

  it('does not expose the facts array through the trace', () => {
    const facts = { ...tolerable, exclusions: ['dereliction'] as Exclusion[] };
    const rec = evaluatePolicy(defaultPolicy, facts);
    (rec.trace[1].checks[0].actual as string[]).push('mutated');
    expect(facts.exclusions).toEqual(['dereliction']);
  });
});
