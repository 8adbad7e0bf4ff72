import type { Recommendation } from '../case-types.js';

/** The earlier tolerated case that makes this one a repeat error. */
export interface RepeatOf {
  caseId: string;
  decidedAt: string;
}

/**
 * Names the earlier case in the recommendation and beside every check that read `repeatError`, so the
 * trace says not only that tolerance was unavailable but because of which case.
 */
export function annotateRepeat(recommendation: Recommendation, repeatOf: RepeatOf | null): Recommendation {
  if (!repeatOf) {
    return { ...recommendation, repeatOf: null };
  }
  const note = `case ${repeatOf.caseId} of the same category was tolerated on ${repeatOf.decidedAt}`;
  return {
    ...recommendation,
    repeatOf,
    trace: recommendation.trace.map((rule) => ({
      ...rule,
      checks: rule.checks.map((check) => (check.fact === 'repeatError' ? { ...check, note } : check)),
    })),
  };
}
