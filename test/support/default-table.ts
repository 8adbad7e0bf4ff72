import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  CONDITIONS,
  type DecisionFacts,
  type Exclusion,
  EXCLUSIONS,
  INTENTS,
  MOTIVES,
  NATURES,
  type Outcome,
  SEVERITIES,
  type ToleranceConditions,
} from '../../src/workflow/case-types.js';
import { parsePolicy, type Policy } from '../../src/workflow/policy/policy-schema.js';

/** The shipped default policy, read as start-up reads it. */
const SOURCE = 'config/policies/default-v1.json';
export const defaultPolicy: Policy = parsePolicy(JSON.parse(readFileSync(join(process.cwd(), SOURCE), 'utf8')), SOURCE);

/** domain.md "Default decision table (policy default, version 1)", written out independently of the policy file. */
export function oracle(f: DecisionFacts): { outcome: Outcome; rule: string } {
  if (f.intent === 'intentional' || f.motive === 'private' || f.nature === 'violation') {
    return { outcome: 'hold-accountable', rule: 'R1-not-tolerable-side' };
  }
  if (f.exclusions.length > 0) {
    return { outcome: 'hold-accountable', rule: 'R2-negative-list' };
  }
  const c = f.conditions;
  if (c.policyCompliant && c.procedureFollowed && c.diligent && c.remedied && f.severity !== 'major' && !f.repeatError) {
    return { outcome: 'tolerate', rule: 'R3-tolerate' };
  }
  return { outcome: 'correct', rule: 'R4-correct' };
}

/** Negligent, public, trial-and-error, every condition held, minor, no exclusion, no repeat: tolerated. */
export const TOLERATED: DecisionFacts = {
  intent: 'negligent',
  motive: 'public',
  nature: 'trial-and-error',
  conditions: { policyCompliant: true, procedureFollowed: true, diligent: true, remedied: true },
  severity: 'minor',
  exclusions: [],
  repeatError: false,
};

function subsets<T>(xs: readonly T[]): T[][] {
  return Array.from({ length: 1 << xs.length }, (_, mask) => xs.filter((_, i) => mask & (1 << i)));
}

/** Every combination of the facts a policy reads: 2 × 2 × 2 × 16 × 3 × 8 × 2 = 6,144. */
export function* allFacts(): Generator<DecisionFacts> {
  const conditionCombos: ToleranceConditions[] = subsets(CONDITIONS).map(
    (held) => Object.fromEntries(CONDITIONS.map((c) => [c, held.includes(c)])) as ToleranceConditions,
  );
  const exclusionSets: Exclusion[][] = subsets(EXCLUSIONS);
  for (const intent of INTENTS) {
    for (const motive of MOTIVES) {
      for (const nature of NATURES) {
        for (const conditions of conditionCombos) {
          for (const severity of SEVERITIES) {
            for (const exclusions of exclusionSets) {
              for (const repeatError of [false, true]) {
                yield { intent, motive, nature, conditions, severity, exclusions, repeatError };
              }
            }
          }
        }
      }
    }
  }
}
