/**
 * Evaluate a decision policy against the facts of a case: rules in order, first match wins.
 * Every leaf check is recorded (children of all/any are all evaluated, never short-circuited),
 * so the trace shows exactly what each rule read.
 */
import type { CheckTrace, DecisionFacts, Recommendation, RuleTrace, TraceValue } from '../case-types.js';
import type { Condition, FactName, LeafCheck, Policy } from './policy-schema.js';

function readFact(facts: DecisionFacts, fact: FactName): TraceValue {
  if (fact.startsWith('conditions.')) {
    return facts.conditions[fact.slice('conditions.'.length) as keyof DecisionFacts['conditions']];
  }
  const value = facts[fact as Exclude<FactName, `conditions.${string}`>];
  return Array.isArray(value) ? [...value] : value;
}

const has = (values: readonly unknown[], v: unknown): boolean => values.includes(v);

/** Apply one leaf check, recording what was expected and what the facts held. */
function check(leaf: LeafCheck, facts: DecisionFacts): CheckTrace {
  const fact = leaf.fact;
  const actual = readFact(facts, fact);
  const list = Array.isArray(actual) ? (actual as unknown[]) : [];
  if ('equals' in leaf) {
    return { fact, op: 'equals', expected: leaf.equals, actual, result: actual === leaf.equals };
  }
  if ('in' in leaf) {
    return { fact, op: 'in', expected: leaf.in, actual, result: has(leaf.in, actual) };
  }
  if ('notIn' in leaf) {
    return { fact, op: 'notIn', expected: leaf.notIn, actual, result: !has(leaf.notIn, actual) };
  }
  if ('includesAny' in leaf) {
    return { fact, op: 'includesAny', expected: leaf.includesAny, actual, result: list.some((v) => has(leaf.includesAny, v)) };
  }
  return { fact, op: 'nonEmpty', expected: true, actual, result: list.length > 0 };
}

/** Evaluate a condition tree, appending every leaf check to `checks` (all children, no short-circuit). */
function evaluate(c: Condition, facts: DecisionFacts, checks: CheckTrace[]): boolean {
  if ('all' in c) {
    return c.all.map((x) => evaluate(x, facts, checks)).every(Boolean);
  }
  if ('any' in c) {
    return c.any.map((x) => evaluate(x, facts, checks)).some(Boolean);
  }
  if ('not' in c) {
    return !evaluate(c.not, facts, checks);
  }
  if ('always' in c) {
    return c.always === true;
  }
  const trace = check(c, facts);
  checks.push(trace);
  return trace.result;
}

export function evaluatePolicy(policy: Policy, facts: DecisionFacts): Recommendation {
  const trace: RuleTrace[] = [];
  for (const rule of policy.rules) {
    const checks: CheckTrace[] = [];
    const matched = evaluate(rule.when, facts, checks);
    trace.push({ rule: rule.id, description: rule.description, matched, checks });
    if (matched) {
      return { outcome: rule.outcome, rule: rule.id, trace, policy: { id: policy.id, version: policy.version } };
    }
  }
  // parsePolicy guarantees a final unconditional rule; reaching here means the policy bypassed validation.
  throw new Error(`policy ${policy.id} v${policy.version}: no rule matched (the last rule must be {"always": true})`);
}
