import { describe, expect, it } from '@jest/globals';

import type { DecisionFacts } from '../workflow/case-types.js';
import { counterfactuals } from '../workflow/policy/counterfactuals.js';
import { evaluatePolicy } from '../workflow/policy/evaluate-policy.js';
import { PolicyRegistry } from './policy-registry.js';

const registry = PolicyRegistry.fromDirectory('config/policies', 'default');

const GOOD_FAITH: DecisionFacts = {
  intent: 'negligent',
  motive: 'public',
  nature: 'trial-and-error',
  conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true },
  severity: 'minor',
  exclusions: [],
  repeatError: false,
};
const NOT_REMEDIED = { ...GOOD_FAITH, conditions: { ...GOOD_FAITH.conditions, remedied: false } };

describe('the policies shipped in config/policies', () => {
  it('loads the default table and the pilot-zone jurisdiction, by id then version', () => {
    expect(registry.all().map((p) => `${p.id}@${p.version}`)).toEqual(['default@1', 'pilot-zone@1']);
    expect(registry.defaultId).toBe('default');
    expect(registry.current()?.id).toBe('default');
  });

  const pilot = () => registry.current('pilot-zone')!;
  const byDefault = () => registry.current('default')!;

  it('the pilot zone tolerates minor exploratory harm not yet recovered, which the default table corrects', () => {
    expect(evaluatePolicy(byDefault(), NOT_REMEDIED)).toMatchObject({ outcome: 'correct', rule: 'R4-correct' });
    expect(evaluatePolicy(pilot(), NOT_REMEDIED)).toMatchObject({ outcome: 'tolerate', rule: 'R3-pilot-exploration' });
  });

  it.each([
    ['serious harm not recovered', { ...NOT_REMEDIED, severity: 'serious' }, 'correct'],
    ['major harm, everything else in order', { ...GOOD_FAITH, severity: 'major' }, 'correct'],
    ['a repeat error', { ...NOT_REMEDIED, repeatError: true }, 'correct'],
    ['no proper procedure', { ...NOT_REMEDIED, conditions: { ...NOT_REMEDIED.conditions, procedureFollowed: false } }, 'correct'],
    ['private gain', { ...GOOD_FAITH, motive: 'private' }, 'hold-accountable'],
    ['a violation of an express ban', { ...GOOD_FAITH, nature: 'violation' }, 'hold-accountable'],
    ['a negative-list exclusion', { ...NOT_REMEDIED, exclusions: ['arbitrary-decision'] }, 'hold-accountable'],
    ['serious harm recovered', { ...GOOD_FAITH, severity: 'serious' }, 'tolerate'],
  ] as const)('the pilot zone agrees with the default table on %s', (_name, facts, outcome) => {
    expect(evaluatePolicy(pilot(), facts as DecisionFacts).outcome).toBe(outcome);
    expect(evaluatePolicy(byDefault(), facts as DecisionFacts).outcome).toBe(outcome);
  });

  it('so in the pilot zone, recovering the loss is not what a minor case turns on', () => {
    const remedied = counterfactuals(pilot(), NOT_REMEDIED).find((cf) => 'conditions.remedied' in cf.change);
    expect(remedied).toMatchObject({ outcome: 'tolerate', changesOutcome: false });
  });
});

describe('PolicyRegistry', () => {
  const [base] = registry.all();

  it('pins the highest version of an id, whatever the order of the files', () => {
    const r = new PolicyRegistry([{ ...base, version: 3 }, base, { ...base, version: 2 }], 'default');
    expect(r.current('default')?.version).toBe(3);
    expect(r.get('default', 2)?.version).toBe(2);
    expect(r.current('nowhere')).toBeUndefined();
  });

  it('refuses the same id and version twice, and a DEFAULT_POLICY no file has', () => {
    expect(() => new PolicyRegistry([base, { ...base }], 'default')).toThrow('policy default version 1 is defined twice');
    expect(() => new PolicyRegistry([base], 'county')).toThrow('DEFAULT_POLICY: no policy with id "county" was loaded');
  });
});
