import type { Outcome, Recommendation } from './case-types.js';

/**
 * Business rules a well-formed command can still break (HTTP 422). Kept apart from the machine so a
 * rule refusal is never confused with "not possible in this state" (409).
 */
export interface ReviewInput {
  decision: 'approve' | 'return' | 'override';
  outcome?: Outcome;
  reason?: string;
}

export interface RuleViolation {
  field: string;
  message: string;
}

export function reviewViolations(input: ReviewInput, recommendation: Recommendation | null): RuleViolation[] {
  const hasReason = (input.reason ?? '').trim().length > 0;
  switch (input.decision) {
    case 'approve':
      return input.outcome === undefined
        ? []
        : [{ field: 'outcome', message: 'outcome is set by the recommendation when approving; use override to change it' }];
    case 'return':
      return hasReason ? [] : [{ field: 'reason', message: 'a reason is required to return a case for more work' }];
    case 'override': {
      const violations: RuleViolation[] = [];
      if (!input.outcome) {
        violations.push({ field: 'outcome', message: 'an override must name the outcome' });
      } else if (recommendation && input.outcome === recommendation.outcome) {
        violations.push({ field: 'outcome', message: 'the outcome equals the recommendation; approve instead' });
      }
      if (!hasReason) {
        violations.push({ field: 'reason', message: 'an override requires a written reason' });
      }
      return violations;
    }
  }
}

/**
 * Evidence a command cites must be evidence of the same case: `citations` pairs each citing field
 * (`evidenceIds`, `evidence.intent`, …) with the ids it names; `known` holds the case's evidence ids.
 */
export function citationViolations(
  citations: ReadonlyArray<readonly [field: string, ids: readonly string[]]>,
  known: ReadonlySet<string>,
): RuleViolation[] {
  return citations.flatMap(([field, ids]) => {
    const unknown = ids.filter((id) => !known.has(id));
    return unknown.length === 0 ? [] : [{ field, message: `no evidence of this case with id ${unknown.join(', ')}` }];
  });
}

/**
 * The most corrective actions one case takes. Every view of the case lists them all (and a rectification order
 * names a handful of measures), so the count is bounded where they are written (issue 16: no unbounded list).
 */
export const MAX_CORRECTIVE_ACTIONS = 50;

export function correctiveActionViolations(existing: number): RuleViolation[] {
  return existing < MAX_CORRECTIVE_ACTIONS
    ? []
    : [{ field: 'correctiveActions', message: `a case takes at most ${MAX_CORRECTIVE_ACTIONS} corrective actions` }];
}
