import { assign, setup } from 'xstate';
import type { Outcome } from './case-types.js';

/**
 * The case lifecycle (domain.md, "Lifecycle of a case"). The machine decides only *whether an event can
 * happen in the current state*; who may send it lives in case-access.ts and business-rule checks in
 * command-rules.ts, so each refusal maps to one HTTP status (403 / 409 / 422).
 *
 * Time limits are not XState `after` timers: a restored actor loses them (statelyai/xstate#5331). They
 * are rows in the deadlines table; when one passes, the sweeper sends a `deadline.*` event as `system`.
 *
 * Bump MACHINE_VERSION whenever states or transitions change: audit events record it so an old case's
 * history keeps its meaning.
 */
export const MACHINE_VERSION = 2;

/**
 * Kept small on purpose: the snapshot is read and written by every command. The full recommendation
 * (with its trace) lives in its own column; the machine needs only its outcome.
 */
export interface CaseContext {
  outcome: Outcome | null;
  recommendedOutcome: Outcome | null;
  overridden: boolean;
  /** end of the appeal window (ISO time), set when the case is decided */
  appealDueAt?: string | null;
  appealed?: boolean;
}

export type CaseEvent =
  | { type: 'explanation.submit' }
  | { type: 'deadline.explanation' }
  | { type: 'assessment.record'; recommendedOutcome: Outcome }
  | { type: 'review.approve'; appealDueAt: string }
  | { type: 'review.return' }
  | { type: 'review.override'; outcome: Outcome; appealDueAt: string }
  | { type: 'case.withdraw' }
  | { type: 'appeal.submit'; at: string }
  | { type: 'appeal.decide'; outcome: Outcome; correctionComplete: boolean }
  | { type: 'deadline.appealWindow'; correctionComplete: boolean }
  | { type: 'correction.add' }
  | { type: 'correction.report' }
  | { type: 'correction.verify'; correctionComplete: boolean }
  /** an overdue review, appeal ruling or corrective action: escalate, state unchanged */
  | { type: 'deadline.escalate' };

/** Pure rule functions; the machine's guards are one-liners over them. */
export const rules = {
  appealWindowOpen: (context: CaseContext, at: string) => !context.appealed && !!context.appealDueAt && at <= context.appealDueAt,
  needsCorrection: (outcome: Outcome | null) => outcome === 'correct',
};

export const caseMachine = setup({
  types: {
    context: {} as CaseContext,
    events: {} as CaseEvent,
  },
  guards: {
    appealWindowOpen: ({ context, event }) => event.type === 'appeal.submit' && rules.appealWindowOpen(context, event.at),
    outcomeIsCorrect: ({ context }) => rules.needsCorrection(context.outcome),
    appealKeepsCorrectionOpen: ({ event }) =>
      event.type === 'appeal.decide' && rules.needsCorrection(event.outcome) && !event.correctionComplete,
    correctionOutstanding: ({ context, event }) =>
      rules.needsCorrection(context.outcome) && 'correctionComplete' in event && !event.correctionComplete,
    correctionComplete: ({ event }) => 'correctionComplete' in event && event.correctionComplete,
  },
  actions: {
    recordRecommendation: assign(({ event }) =>
      event.type === 'assessment.record' ? { recommendedOutcome: event.recommendedOutcome } : {},
    ),
    adoptRecommendation: assign(({ context, event }) => ({
      outcome: context.recommendedOutcome,
      overridden: false,
      appealDueAt: event.type === 'review.approve' ? event.appealDueAt : null,
    })),
    adoptOverride: assign(({ event }) =>
      event.type === 'review.override' ? { outcome: event.outcome, overridden: true, appealDueAt: event.appealDueAt } : {},
    ),
    markAppealed: assign({ appealed: true }),
    adoptAppealOutcome: assign(({ event }) => (event.type === 'appeal.decide' ? { outcome: event.outcome } : {})),
  },
}).createMachine({
  id: 'case',
  initial: 'awaitingExplanation',
  context: { outcome: null, recommendedOutcome: null, overridden: false, appealDueAt: null, appealed: false },
  states: {
    awaitingExplanation: {
      on: {
        'explanation.submit': { target: 'underAssessment' },
        'deadline.explanation': { target: 'underAssessment' },
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
        'deadline.escalate': {},
      },
    },
    decided: {
      on: {
        'appeal.submit': { target: 'appealReview', guard: 'appealWindowOpen', actions: 'markAppealed' },
        'deadline.appealWindow': [{ target: 'correcting', guard: 'correctionOutstanding' }, { target: 'closed' }],
        'correction.add': { guard: 'outcomeIsCorrect' },
        'correction.report': { guard: 'outcomeIsCorrect' },
        'correction.verify': { guard: 'outcomeIsCorrect' },
        'deadline.escalate': { guard: 'outcomeIsCorrect' },
      },
    },
    appealReview: {
      on: {
        'appeal.decide': [
          { target: 'correcting', guard: 'appealKeepsCorrectionOpen', actions: 'adoptAppealOutcome' },
          { target: 'closed', actions: 'adoptAppealOutcome' },
        ],
        'deadline.escalate': {},
      },
    },
    correcting: {
      on: {
        'correction.add': {},
        'correction.report': {},
        'correction.verify': [{ target: 'closed', guard: 'correctionComplete' }, {}],
        'deadline.escalate': {},
      },
    },
    closed: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});

export type CaseState =
  | 'awaitingExplanation'
  | 'underAssessment'
  | 'pendingReview'
  | 'decided'
  | 'appealReview'
  | 'correcting'
  | 'closed'
  | 'withdrawn';
export const CASE_STATES: readonly CaseState[] = Object.keys(caseMachine.config.states ?? {}) as CaseState[];
