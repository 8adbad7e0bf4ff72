import { describe, expect, it } from '@jest/globals';

import { allFacts, defaultPolicy, oracle, TOLERATED } from '../../../test/support/default-table.js';
import { CONDITIONS, type DecisionFacts, EXCLUSIONS, INTENTS, MOTIVES, NATURES, SEVERITIES } from '../case-types.js';
import { type Counterfactual, counterfactuals } from './counterfactuals.js';
import { parsePolicy } from './policy-schema.js';

/** The counterfactual whose change is exactly `change`; fails the test when there is none. */
function find(list: Counterfactual[], change: Readonly<Record<string, unknown>>): Counterfactual {
  const found = list.find((cf) => JSON.stringify(cf.change) === JSON.stringify(change));
  if (!found) {
    throw new Error(`no counterfactual ${JSON.stringify(change)} in ${JSON.stringify(list.map((cf) => cf.change))}`);
  }
  return found;
}

describe('counterfactuals (假设分析) against the default decision table', () => {
  describe('a tolerated case: negligent, public, trial-and-error, all conditions, minor', () => {
    const list = counterfactuals(defaultPolicy, TOLERATED);

    it.each([
      [{ intent: 'intentional' }, 'hold-accountable', 'R1-not-tolerable-side'],
      [{ motive: 'private' }, 'hold-accountable', 'R1-not-tolerable-side'],
      [{ nature: 'violation' }, 'hold-accountable', 'R1-not-tolerable-side'],
      [{ 'conditions.policyCompliant': false }, 'correct', 'R4-correct'],
      [{ 'conditions.procedureFollowed': false }, 'correct', 'R4-correct'],
      [{ 'conditions.diligent': false }, 'correct', 'R4-correct'],
      [{ 'conditions.remedied': false }, 'correct', 'R4-correct'],
      [{ severity: 'serious' }, 'tolerate', 'R3-tolerate'],
      [{ severity: 'major' }, 'correct', 'R4-correct'],
      [{ exclusions: ['dereliction'] }, 'hold-accountable', 'R2-negative-list'],
      [{ exclusions: ['arbitrary-decision'] }, 'hold-accountable', 'R2-negative-list'],
      [{ exclusions: ['major-accident'] }, 'hold-accountable', 'R2-negative-list'],
      [{ repeatError: true }, 'correct', 'R4-correct'],
    ] as const)('%j gives %s (%s)', (change, outcome, rule) => {
      expect(find(list, change)).toEqual({ change, outcome, rule, changesOutcome: outcome !== 'tolerate' });
    });

    it('lists exactly one entry per alternative: 3 distinctions, 4 conditions, 2 severities, 3 exclusions, repeat', () => {
      expect(list.map((cf) => Object.keys(cf.change)[0])).toEqual([
        'intent',
        'motive',
        'nature',
        'conditions.policyCompliant',
        'conditions.procedureFollowed',
        'conditions.diligent',
        'conditions.remedied',
        'severity',
        'severity',
        'exclusions',
        'exclusions',
        'exclusions',
        'repeatError',
      ]);
      // severity=serious is the only change that leaves the outcome as it is.
      expect(list.filter((cf) => !cf.changesOutcome).map((cf) => cf.change)).toEqual([{ severity: 'serious' }]);
    });
  });

  it('a case held accountable only because it was intentional turns on intent alone', () => {
    const list = counterfactuals(defaultPolicy, { ...TOLERATED, intent: 'intentional' });
    expect(find(list, { intent: 'negligent' })).toMatchObject({ outcome: 'tolerate', rule: 'R3-tolerate', changesOutcome: true });
    expect(list.filter((cf) => cf.changesOutcome).map((cf) => cf.change)).toEqual([{ intent: 'negligent' }]);
  });

  it('a case held accountable for two reasons does not turn on either alone', () => {
    const list = counterfactuals(defaultPolicy, { ...TOLERATED, intent: 'intentional', motive: 'private' });
    expect(find(list, { intent: 'negligent' })).toMatchObject({ outcome: 'hold-accountable', changesOutcome: false });
    expect(find(list, { motive: 'public' })).toMatchObject({ outcome: 'hold-accountable', changesOutcome: false });
    expect(list.every((cf) => cf.outcome === 'hold-accountable')).toBe(true);
  });

  it('a corrected case (loss not remedied) would be tolerated with the loss remedied, and not with major harm either way', () => {
    const facts = { ...TOLERATED, conditions: { ...TOLERATED.conditions, remedied: false } };
    const list = counterfactuals(defaultPolicy, facts);
    expect(find(list, { 'conditions.remedied': true })).toMatchObject({ outcome: 'tolerate', changesOutcome: true });
    expect(find(list, { severity: 'major' })).toMatchObject({ outcome: 'correct', changesOutcome: false });
    expect(find(list, { 'conditions.diligent': false })).toMatchObject({ outcome: 'correct', changesOutcome: false });
  });

  it('a recorded exclusion is removed in its counterfactual; another one is added beside it', () => {
    const list = counterfactuals(defaultPolicy, { ...TOLERATED, exclusions: ['arbitrary-decision'] });
    expect(find(list, { exclusions: [] })).toMatchObject({ outcome: 'tolerate', rule: 'R3-tolerate', changesOutcome: true });
    expect(find(list, { exclusions: ['arbitrary-decision', 'dereliction'] })).toMatchObject({
      outcome: 'hold-accountable',
      changesOutcome: false,
    });
  });

  it('a repeat error is corrected, and would have been tolerated as a first error', () => {
    const list = counterfactuals(defaultPolicy, { ...TOLERATED, repeatError: true });
    expect(find(list, { repeatError: false })).toMatchObject({ outcome: 'tolerate', changesOutcome: true });
  });

  it('offers only the tolerance conditions the policy lists (its rules can read no others)', () => {
    const narrow = parsePolicy(
      {
        ...defaultPolicy,
        conditions: ['policyCompliant', 'diligent'],
        rules: [
          {
            id: 'T',
            description: 'tolerate when compliant and diligent',
            when: {
              all: [
                { fact: 'conditions.policyCompliant', equals: true },
                { fact: 'conditions.diligent', equals: true },
              ],
            },
            outcome: 'tolerate',
          },
          { id: 'C', description: 'otherwise correct', when: { always: true }, outcome: 'correct' },
        ],
      },
      'narrow.json',
    );
    const keys = counterfactuals(narrow, TOLERATED).map((cf) => Object.keys(cf.change)[0]);
    expect(keys.filter((k) => k.startsWith('conditions.'))).toEqual(['conditions.policyCompliant', 'conditions.diligent']);
  });

  it('agrees with the domain.md table for every single-input change of every combination of inputs', () => {
    let checked = 0;
    for (const facts of allFacts()) {
      const { intent, motive, nature, conditions, severity, exclusions, repeatError } = facts;
      const actual = oracle(facts).outcome;
      // The alternatives, built here independently of the module: one input changed at a time.
      const expected: DecisionFacts[] = [
        ...INTENTS.filter((v) => v !== intent).map((v) => ({ ...facts, intent: v })),
        ...MOTIVES.filter((v) => v !== motive).map((v) => ({ ...facts, motive: v })),
        ...NATURES.filter((v) => v !== nature).map((v) => ({ ...facts, nature: v })),
        ...CONDITIONS.map((c) => ({ ...facts, conditions: { ...conditions, [c]: !conditions[c] } })),
        ...SEVERITIES.filter((v) => v !== severity).map((v) => ({ ...facts, severity: v })),
        ...EXCLUSIONS.map((x) => ({
          ...facts,
          exclusions: exclusions.includes(x) ? exclusions.filter((y) => y !== x) : [...exclusions, x],
        })),
        { ...facts, repeatError: !repeatError },
      ];
      const list = counterfactuals(defaultPolicy, facts);
      expect(list).toHaveLength(expected.length);
      list.forEach((cf, i) => {
        const want = oracle(expected[i]);
        if (cf.outcome !== want.outcome || cf.rule !== want.rule || cf.changesOutcome !== (want.outcome !== actual)) {
          throw new Error(
            `${JSON.stringify(facts)} + ${JSON.stringify(cf.change)}: got ${cf.outcome}/${cf.rule}, want ${want.outcome}/${want.rule}`,
          );
        }
        checked++;
      });
    }
    expect(checked).toBe(2 * 2 * 2 * 16 * 3 * 8 * 2 * 13);
  });
});
