import type { CaseState } from './case-machine.js';

/** Kinds of time limit, named as in the policy's `deadlines`. */
export const DEADLINE_KINDS = ['explanation', 'review', 'appealWindow', 'appealReview', 'correction'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/** The time limit that runs while a case is in a state (corrections run per action instead). */
export const STATE_DEADLINE: Partial<Record<CaseState, DeadlineKind>> = {
  awaitingExplanation: 'explanation',
  pendingReview: 'review',
  decided: 'appealWindow',
  appealReview: 'appealReview',
};

/** What happens when a deadline passes: the case moves on, or the people responsible are alerted. */
export const DEADLINE_EFFECT: Record<DeadlineKind, 'advance' | 'escalate'> = {
  explanation: 'advance',
  appealWindow: 'advance',
  review: 'escalate',
  appealReview: 'escalate',
  correction: 'escalate',
};

/** Final states end every time limit of the case, corrective ones included. */
export const isFinal = (state: CaseState): boolean => state === 'closed' || state === 'withdrawn';
