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
 * Bump MACHINE_VERSION whenever states or transitions change, and build the change behind the version
 * (see `since`): audit events record the version they were accepted under, and replay runs each event
 * through that version, so an old case's history keeps its meaning.
 *
 * Versions: 1 was the pre-release core (no appeals, corrections or deadlines; no data of it exists);
 * 2 added appeals, corrective actions and deadlines; 3 added `evidence.add` in every open state.
 */
export const MACHINE_VERSION = 3;
export const MACHINE_VERSIONS = [2, 3] as const;
export type MachineVersion = (typeof MACHINE_VERSIONS)[number];

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
  | { type: 'deadline.escalate' }
  /** a file added to the case's evidence (v3); state unchanged */
  | { type: 'evidence.add' };

/** Pure rule functions; the machine's guards are one-liners over them. */
export const rules = {
  appealWindowOpen: (context: CaseContext, at: string) => !context.appealed && !!context.appealDueAt && at <= context.appealDueAt,
  needsCorrection: (outcome: Outcome | null) => outcome === 'correct',
  /** every corrective action verified (and there is at least one): a `correcting` case may close */
  correctionComplete: (actions: ReadonlyArray<{ status: string }>) => actions.length > 0 && actions.every((a) => a.status === 'verified'),
};

/** Transitions that exist only from machine version `from` on. */
function since<T extends object>(version: MachineVersion, from: MachineVersion, transitions: T): T | Record<string, never> {
  return version >= from ? transitions : {};
}

function buildCaseMachine(version: MachineVersion) {
  // Evidence (v3) can be added while the case is open, including during an appeal; not once it is final.
  const evidence = since(version, 3, { 'evidence.add': {} });
  return setup({
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
          ...evidence,
          'explanation.submit': { target: 'underAssessment' },
          'deadline.explanation': { target: 'underAssessment' },
          'case.withdraw': { target: 'withdrawn' },
        },
      },
      underAssessment: {
        on: {
          ...evidence,
          'assessment.record': { target: 'pendingReview', actions: 'recordRecommendation' },
          'case.withdraw': { target: 'withdrawn' },
        },
      },
      pendingReview: {
        on: {
          ...evidence,
          'review.approve': { target: 'decided', actions: 'adoptRecommendation' },
          'review.override': { target: 'decided', actions: 'adoptOverride' },
          'review.return': { target: 'underAssessment' },
          'case.withdraw': { target: 'withdrawn' },
          'deadline.escalate': {},
        },
      },
      decided: {
        on: {
          ...evidence,
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
          ...evidence,
          'appeal.decide': [
            { target: 'correcting', guard: 'appealKeepsCorrectionOpen', actions: 'adoptAppealOutcome' },
            { target: 'closed', actions: 'adoptAppealOutcome' },
          ],
          'deadline.escalate': {},
        },
      },
      correcting: {
        on: {
          ...evidence,
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
}

const machines = new Map(MACHINE_VERSIONS.map((version) => [version, buildCaseMachine(version)]));

export function isMachineVersion(version: number): version is MachineVersion {
  return (MACHINE_VERSIONS as readonly number[]).includes(version);
}

/** The machine as it was at `version` (replay), or undefined for a version this build does not know. */
export function machineFor(version: number): CaseMachine | undefined {
  return isMachineVersion(version) ? machines.get(version) : undefined;
}

export type CaseMachine = ReturnType<typeof buildCaseMachine>;
/** The current machine: every new command runs on it. */
export const caseMachine: CaseMachine = machines.get(MACHINE_VERSION)!;

export type CaseState =
  'awaitingExplanation' | 'underAssessment' | 'pendingReview' | 'decided' | 'appealReview' | 'correcting' | 'closed' | 'withdrawn';
export const CASE_STATES: readonly CaseState[] = Object.keys(caseMachine.config.states ?? {}) as CaseState[];
