/**
 * Counterfactuals (假设分析): what the policy would have recommended had exactly one input of the
 * decision been different, everything else equal — so a cadre or a leader sees what the decision turned on.
 *
 * Pure: evaluated with the policy version the case pinned, never the newest one.
 */
import { type DecisionFacts, type Exclusion, INTENTS, MOTIVES, NATURES, type Outcome, SEVERITIES } from '../case-types.js';
import { evaluatePolicy } from './evaluate-policy.js';
import type { Policy } from './policy-schema.js';

/** The value a counterfactual gives one factor: an enum value, a boolean, or the whole exclusion list. */
export type CounterfactualValue = string | boolean | Exclusion[];

export interface Counterfactual {
  /** the one factor changed, named as the policy's facts are, and its value in this alternative */
  change: Record<string, CounterfactualValue>;
  /** the recommendation the pinned policy gives with that change */
  outcome: Outcome;
  /** the rule that would have fired */
  rule: string;
  /** whether the outcome differs from the actual recommendation */
  changesOutcome: boolean;
}

const other = <T>(values: readonly T[], current: T): T[] => values.filter((v) => v !== current);

/** Every single-input change worth showing, in a stable order a reader can follow. */
function alternatives(policy: Policy, facts: DecisionFacts): Array<{ change: Counterfactual['change']; facts: DecisionFacts }> {
  const out: Array<{ change: Counterfactual['change']; facts: DecisionFacts }> = [];
  // The three distinctions (三个区分开来).
  for (const intent of other(INTENTS, facts.intent)) {
    out.push({ change: { intent }, facts: { ...facts, intent } });
  }
  for (const motive of other(MOTIVES, facts.motive)) {
    out.push({ change: { motive }, facts: { ...facts, motive } });
  }
  for (const nature of other(NATURES, facts.nature)) {
    out.push({ change: { nature }, facts: { ...facts, nature } });
  }
  // Only the tolerance conditions this policy lists: its rules may read no others.
  for (const name of policy.conditions) {
    const value = !facts.conditions[name];
    out.push({ change: { [`conditions.${name}`]: value }, facts: { ...facts, conditions: { ...facts.conditions, [name]: value } } });
  }
  for (const severity of other(SEVERITIES, facts.severity)) {
    out.push({ change: { severity }, facts: { ...facts, severity } });
  }
  // Each negative-list exclusion of this policy added (when absent) or removed (when recorded).
  for (const item of policy.negativeList) {
    const exclusions = facts.exclusions.includes(item) ? facts.exclusions.filter((x) => x !== item) : [...facts.exclusions, item];
    out.push({ change: { exclusions }, facts: { ...facts, exclusions } });
  }
  const repeatError = !facts.repeatError;
  out.push({ change: { repeatError }, facts: { ...facts, repeatError } });
  return out;
}

/**
 * For each distinction, each tolerance condition of the policy, each other severity, each exclusion of the
 * policy's negative list and the repeat-error flag: the outcome had that one input been different.
 */
export function counterfactuals(policy: Policy, facts: DecisionFacts): Counterfactual[] {
  const actual = evaluatePolicy(policy, facts).outcome;
  return alternatives(policy, facts).map(({ change, facts: changed }) => {
    const { outcome, rule } = evaluatePolicy(policy, changed);
    return { change, outcome, rule, changesOutcome: outcome !== actual };
  });
}
