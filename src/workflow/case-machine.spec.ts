import { describe, expect, it } from '@jest/globals';
import { CASE_STATES, type CaseEvent, type CaseState } from './case-machine.js';
import type { Outcome } from './case-types.js';
import { applyEvent, canApply, initialSnapshot, type StoredSnapshot } from './case-workflow.js';

const recommending = (outcome: Outcome): CaseEvent => ({ type: 'assessment.record', recommendedOutcome: outcome });

const EVENTS: Record<CaseEvent['type'], CaseEvent> = {
  'explanation.submit': { type: 'explanation.submit' },
  'assessment.record': recommending('tolerate'),
  'review.approve': { type: 'review.approve' },
  'review.return': { type: 'review.return' },
  'review.override': { type: 'review.override', outcome: 'hold-accountable' },
  'case.withdraw': { type: 'case.withdraw' },
};

/** domain.md "Lifecycle of a case", written out by hand: the oracle the machine is checked against. */
const LEGAL: Record<CaseState, Partial<Record<CaseEvent['type'], CaseState>>> = {
  awaitingExplanation: { 'explanation.submit': 'underAssessment', 'case.withdraw': 'withdrawn' },
  underAssessment: { 'assessment.record': 'pendingReview', 'case.withdraw': 'withdrawn' },
  pendingReview: {
    'review.approve': 'decided',
    'review.override': 'decided',
    'review.return': 'underAssessment',
    'case.withdraw': 'withdrawn',
  },
  decided: {},
  withdrawn: {},
};

/** Carries a fresh case through events that must all be accepted. */
function after(...events: CaseEvent[]): StoredSnapshot {
  return events.reduce<StoredSnapshot>((snapshot, event) => {
    const next = applyEvent(snapshot, event);
    if (!next) {
      throw new Error(`fixture event ${event.type} refused in ${snapshot.value}`);
    }
    return next;
  }, initialSnapshot());
}

const SNAPSHOT_IN: Record<CaseState, () => StoredSnapshot> = {
  awaitingExplanation: () => initialSnapshot(),
  underAssessment: () => after(EVENTS['explanation.submit']),
  pendingReview: () => after(EVENTS['explanation.submit'], EVENTS['assessment.record']),
  decided: () => after(EVENTS['explanation.submit'], EVENTS['assessment.record'], EVENTS['review.approve']),
  withdrawn: () => after(EVENTS['case.withdraw']),
};

const ALL_EVENTS = Object.keys(EVENTS) as Array<CaseEvent['type']>;

describe('case machine', () => {
  it('starts awaiting the explanation with no outcome, no recommendation, not overridden', () => {
    expect(initialSnapshot()).toEqual({
      value: 'awaitingExplanation',
      context: { outcome: null, recommendedOutcome: null, overridden: false },
    });
  });

  it('knows exactly the states of the lifecycle', () => {
    expect([...CASE_STATES].sort()).toEqual(Object.keys(LEGAL).sort());
  });

  const pairs = (Object.keys(LEGAL) as CaseState[]).flatMap((state) => ALL_EVENTS.map((type) => [state, type] as const));
  const legalPairs = pairs.filter(([state, type]) => LEGAL[state][type]);
  const illegalPairs = pairs.filter(([state, type]) => !LEGAL[state][type]);

  it.each(legalPairs)('in %s takes %s to the expected state', (state, type) => {
    const before = SNAPSHOT_IN[state]();
    const untouched = structuredClone(before);
    expect(canApply(before, EVENTS[type])).toBe(true);
    expect(applyEvent(before, EVENTS[type])?.value).toBe(LEGAL[state][type]);
    expect(before).toEqual(untouched);
  });

  it.each(illegalPairs)('in %s refuses %s and leaves the snapshot unchanged', (state, type) => {
    const before = SNAPSHOT_IN[state]();
    const untouched = structuredClone(before);
    expect(before.value).toBe(state);
    expect(canApply(before, EVENTS[type])).toBe(false);
    expect(applyEvent(before, EVENTS[type])).toBeNull();
    expect(before).toEqual(untouched);
  });

  it('covers all 8 legal and 22 illegal (state, event) pairs', () => {
    expect([legalPairs.length, illegalPairs.length]).toEqual([8, 22]);
  });

  it('is terminal once decided or withdrawn', () => {
    for (const state of ['decided', 'withdrawn'] as const) {
      const snapshot = SNAPSHOT_IN[state]();
      expect(ALL_EVENTS.filter((type) => canApply(snapshot, EVENTS[type]))).toEqual([]);
    }
  });

  it('stores the recommended outcome, not yet the outcome, when the assessment is recorded', () => {
    const pending = applyEvent(SNAPSHOT_IN.underAssessment(), recommending('correct'));
    expect(pending).toEqual({
      value: 'pendingReview',
      context: { outcome: null, recommendedOutcome: 'correct', overridden: false },
    });
  });

  it.each(['tolerate', 'correct', 'hold-accountable'] as const)('approve adopts the recommended outcome %s', (outcome) => {
    const pending = after(EVENTS['explanation.submit'], recommending(outcome));
    const decided = applyEvent(pending, EVENTS['review.approve']);
    expect(decided?.value).toBe('decided');
    expect(decided?.context).toEqual({ outcome, overridden: false, recommendedOutcome: outcome });
  });

  it('override sets the named outcome, marks it overridden and keeps the recommendation beside it', () => {
    const pending = SNAPSHOT_IN.pendingReview();
    const decided = applyEvent(pending, { type: 'review.override', outcome: 'correct' });
    expect(decided).toEqual({
      value: 'decided',
      context: { outcome: 'correct', overridden: true, recommendedOutcome: 'tolerate' },
    });
  });

  it('return goes back to assessment without an outcome, and a new assessment replaces the recommendation', () => {
    const returned = applyEvent(SNAPSHOT_IN.pendingReview(), EVENTS['review.return']);
    expect(returned?.value).toBe('underAssessment');
    expect(returned?.context.outcome).toBeNull();
    const reassessed = applyEvent(returned!, recommending('hold-accountable'));
    expect(reassessed?.value).toBe('pendingReview');
    const decided = applyEvent(reassessed!, EVENTS['review.approve']);
    expect(decided?.context.outcome).toBe('hold-accountable');
  });

  it('withdrawing never sets an outcome', () => {
    for (const state of ['awaitingExplanation', 'underAssessment', 'pendingReview'] as const) {
      const withdrawn = applyEvent(SNAPSHOT_IN[state](), EVENTS['case.withdraw']);
      expect(withdrawn?.value).toBe('withdrawn');
      expect(withdrawn?.context.outcome).toBeNull();
    }
  });

  it('continues from a snapshot that went through JSON, as the database stores it', () => {
    const stored = JSON.parse(JSON.stringify(SNAPSHOT_IN.pendingReview())) as StoredSnapshot;
    expect(applyEvent(stored, EVENTS['review.approve'])?.context.outcome).toBe('tolerate');
    expect(applyEvent(stored, EVENTS['explanation.submit'])).toBeNull();
  });
});
