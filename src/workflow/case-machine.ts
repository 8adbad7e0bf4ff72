import { assign, setup } from 'xstate';
import type { Outcome } from './case-types.js';

/**
 * The case lifecycle (domain.md, "Lifecycle of a case"). The machine decides only *whether an event can
 * happen in the current state*; who may send it lives in case-access.ts and business-rule checks in
 * command-rules.ts, so each refusal maps to one HTTP status (403 / 409 / 422).
 *
 * Bump MACHINE_VERSION whenever states or transitions change: audit events record it so an old case's
 * history keeps its meaning.
 */
export const MACHINE_VERSION = 1;

/**
 * Kept small on purpose: the snapshot is read and written by every command. The full recommendation
 * (with its trace) lives in its own column; the machine needs only its outcome.
 */
export interface CaseContext {
  outcome: Outcome | null;
  recommendedOutcome: Outcome | null;
  overridden: boolean;
}

export type CaseEvent =
  | { type: 'explanation.submit' }
  | { type: 'assessment.record'; recommendedOutcome: Outcome }
  | { type: 'review.approve' }
  | { type: 'review.return' }
  | { type: 'review.override'; outcome: Outcome }
  | { type: 'case.withdraw' };

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  actions: {
    recordRecommendation: assign(({ event }) =>
      event.type === 'assessment.record' ? { recommendedOutcome: event.recommendedOutcome } : {},
    ),
    adoptRecommendation: assign(({ context }) => ({
      outcome: context.recommendedOutcome,
      overridden: false,
    })),
    adoptOverride: assign(({ event }) =>
      event.type === 'review.override' ? { outcome: event.outcome, overridden: true } : {},
    ),
  },
}).createMachine({
  id: 'case',
  initial: 'awaitingExplanation',
  context: { outcome: null, recommendedOutcome: null, overridden: false },
  states: {
    awaitingExplanation: {
      on: {
        'explanation.submit': { target: 'underAssessment' },
        'case.withdraw': { target: 'withdrawn' },
      },
    },
    underAssessment: {
      on: {
        'assessment.record': { target: 'pendingReview', actions: 'recordRecommendation' },
        'case.withdraw': { target: 'withdrawn' },
      },
    },
    pendingReview: {
      on: {
        'review.approve': { target: 'decided', actions: 'adoptRecommendation' },
        'review.override': { target: 'decided', actions: 'adoptOverride' },
        'review.return': { target: 'underAssessment' },
        'case.withdraw': { target: 'withdrawn' },
      },
    },
    decided: {},
    withdrawn: { type: 'final' },
  },
});

export type CaseState = 'awaitingExplanation' | 'underAssessment' | 'pendingReview' | 'decided' | 'withdrawn';
export const CASE_STATES: readonly CaseState[] = Object.keys(caseMachine.config.states ?? {}) as CaseState[];
