import { describe, expect, it } from '@jest/globals';

import { CASE_STATES, type CaseEvent, caseMachine, type CaseState, MACHINE_VERSION, machineFor } from './case-machine.js';
import type { Outcome } from './case-types.js';
import { applyEvent, canApply, initialSnapshot, type StoredSnapshot } from './case-workflow.js';

/** The appeal window of every decided fixture, and instants inside / at / after it. */
const DECIDED_AT = '2026-01-05T09:00:00.000Z';
const APPEAL_DUE = '2026-01-26T15:59:59.999Z';
const INSIDE_WINDOW = '2026-01-20T02:00:00.000Z';
const AFTER_WINDOW = '2026-01-26T16:00:00.000Z';

const recommending = (outcome: Outcome): CaseEvent => ({ type: 'assessment.record', recommendedOutcome: outcome });

/** One event of each type, as the matrix sends it (payloads chosen so the guards are not what refuses). */
const EVENTS: Record<CaseEvent['type'], CaseEvent> = {
  'explanation.submit': { type: 'explanation.submit' },
  'deadline.explanation': { type: 'deadline.explanation' },
  'assessment.record': recommending('tolerate'),
  'review.approve': { type: 'review.approve', appealDueAt: APPEAL_DUE },
  'review.return': { type: 'review.return' },
  'review.override': { type: 'review.override', outcome: 'hold-accountable', appealDueAt: APPEAL_DUE },
  'case.withdraw': { type: 'case.withdraw' },
  'appeal.submit': { type: 'appeal.submit', at: INSIDE_WINDOW },
  'appeal.decide': { type: 'appeal.decide', outcome: 'tolerate', correctionComplete: false },
  'deadline.appealWindow': { type: 'deadline.appealWindow', correctionComplete: false },
  'correction.add': { type: 'correction.add' },
  'correction.report': { type: 'correction.report' },
  'correction.verify': { type: 'correction.verify', correctionComplete: false },
  'deadline.escalate': { type: 'deadline.escalate' },
  'evidence.add': { type: 'evidence.add' },
};
const ALL_EVENTS = Object.keys(EVENTS) as Array<CaseEvent['type']>;

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

const pendingWith = (outcome: Outcome) => after(EVENTS['explanation.submit'], recommending(outcome));
const decidedWith = (outcome: Outcome) => after(EVENTS['explanation.submit'], recommending(outcome), EVENTS['review.approve']);
const appealedWith = (outcome: Outcome) => applyEvent(decidedWith(outcome), EVENTS['appeal.submit'])!;
const correcting = () => applyEvent(decidedWith('correct'), EVENTS['deadline.appealWindow'])!;

/**
 * The situations a case can be in. `decided` splits by outcome because correction events and the
 * escalation of an overdue corrective action exist only for a `correct` decision.
 */
const SITUATIONS = {
  awaitingExplanation: () => initialSnapshot(),
  underAssessment: () => after(EVENTS['explanation.submit']),
  pendingReview: () => pendingWith('tolerate'),
  'decided (tolerate)': () => decidedWith('tolerate'),
  'decided (hold-accountable)': () => decidedWith('hold-accountable'),
  'decided (correct)': () => decidedWith('correct'),
  appealReview: () => appealedWith('tolerate'),
  correcting,
  closed: () => applyEvent(decidedWith('tolerate'), EVENTS['deadline.appealWindow'])!,
  withdrawn: () => after(EVENTS['case.withdraw']),
} satisfies Record<string, () => StoredSnapshot>;
type Situation = keyof typeof SITUATIONS;

/** domain.md "Lifecycle of a case" and issue 3, written out by hand: the oracle the machine is checked against. */
const LEGAL: Record<Situation, Partial<Record<CaseEvent['type'], CaseState>>> = {
  awaitingExplanation: {
    'evidence.add': 'awaitingExplanation',
    'explanation.submit': 'underAssessment',
    'deadline.explanation': 'underAssessment',
    'case.withdraw': 'withdrawn',
  },
  underAssessment: { 'evidence.add': 'underAssessment', 'assessment.record': 'pendingReview', 'case.withdraw': 'withdrawn' },
  pendingReview: {
    'evidence.add': 'pendingReview',
    'review.approve': 'decided',
    'review.override': 'decided',
    'review.return': 'underAssessment',
    'case.withdraw': 'withdrawn',
    'deadline.escalate': 'pendingReview',
  },
  'decided (tolerate)': { 'evidence.add': 'decided', 'appeal.submit': 'appealReview', 'deadline.appealWindow': 'closed' },
  'decided (hold-accountable)': { 'evidence.add': 'decided', 'appeal.submit': 'appealReview', 'deadline.appealWindow': 'closed' },
  'decided (correct)': {
    'evidence.add': 'decided',
    'appeal.submit': 'appealReview',
    'deadline.appealWindow': 'correcting',
    'correction.add': 'decided',
    'correction.report': 'decided',
    'correction.verify': 'decided',
    'deadline.escalate': 'decided',
  },
  appealReview: { 'evidence.add': 'appealReview', 'appeal.decide': 'closed', 'deadline.escalate': 'appealReview' },
  correcting: {
    'evidence.add': 'correcting',
    'correction.add': 'correcting',
    'correction.report': 'correcting',
    'correction.verify': 'correcting',
    'deadline.escalate': 'correcting',
  },
  closed: {},
  withdrawn: {},
};

const STATE_OF: Record<Situation, CaseState> = {
  awaitingExplanation: 'awaitingExplanation',
  underAssessment: 'underAssessment',
  pendingReview: 'pendingReview',
  'decided (tolerate)': 'decided',
  'decided (hold-accountable)': 'decided',
  'decided (correct)': 'decided',
  appealReview: 'appealReview',
  correcting: 'correcting',
  closed: 'closed',
  withdrawn: 'withdrawn',
};

describe('case machine v3', () => {
  it('is version 3', () => {
    expect(MACHINE_VERSION).toBe(3);
  });

  it('starts awaiting the explanation with no outcome, no recommendation, no appeal window, not appealed', () => {
    expect(initialSnapshot()).toEqual({
      value: 'awaitingExplanation',
      context: { outcome: null, recommendedOutcome: null, overridden: false, appealDueAt: null, appealed: false },
    });
  });

  it('knows exactly the states of the lifecycle', () => {
    expect([...CASE_STATES].sort()).toEqual(
      ['appealReview', 'awaitingExplanation', 'closed', 'correcting', 'decided', 'pendingReview', 'underAssessment', 'withdrawn'].sort(),
    );
    expect(new Set(Object.values(STATE_OF))).toEqual(new Set(CASE_STATES));
  });

  it.each(Object.keys(SITUATIONS) as Situation[])('the %s fixture is in the state it is named after', (situation) => {
    expect(SITUATIONS[situation]().value).toBe(STATE_OF[situation]);
  });

  const pairs = (Object.keys(LEGAL) as Situation[]).flatMap((situation) => ALL_EVENTS.map((type) => [situation, type] as const));
  const legalPairs = pairs.filter(([situation, type]) => LEGAL[situation][type]);
  const illegalPairs = pairs.filter(([situation, type]) => !LEGAL[situation][type]);

  it.each(legalPairs)('in %s takes %s to the expected state', (situation, type) => {
    const before = SITUATIONS[situation]();
    const untouched = structuredClone(before);
    expect(canApply(before, EVENTS[type])).toBe(true);
    expect(applyEvent(before, EVENTS[type])?.value).toBe(LEGAL[situation][type]);
    expect(before).toEqual(untouched);
  });

  it.each(illegalPairs)('in %s refuses %s and leaves the snapshot unchanged', (situation, type) => {
    const before = SITUATIONS[situation]();
    const untouched = structuredClone(before);
    expect(canApply(before, EVENTS[type])).toBe(false);
    expect(applyEvent(before, EVENTS[type])).toBeNull();
    expect(before).toEqual(untouched);
  });

  it('covers all 34 legal and 116 illegal (situation, event) pairs', () => {
    expect([legalPairs.length, illegalPairs.length]).toEqual([34, 116]);
  });

  it('keeps version 2 as it was: the same transitions except evidence, which v2 never had', () => {
    const v2 = machineFor(2)!;
    for (const [situation, type] of pairs) {
      const v2Next = applyEvent(SITUATIONS[situation](), EVENTS[type], v2);
      const expected = type === 'evidence.add' ? undefined : LEGAL[situation][type];
      expect([situation, type, v2Next?.value]).toEqual([situation, type, expected]);
    }
    expect(machineFor(1)).toBeUndefined();
    expect(machineFor(MACHINE_VERSION)).toBe(caseMachine);
  });

  it('is terminal once closed or withdrawn', () => {
    for (const situation of ['closed', 'withdrawn'] as const) {
      const snapshot = SITUATIONS[situation]();
      expect(ALL_EVENTS.filter((type) => canApply(snapshot, EVENTS[type]))).toEqual([]);
    }
  });

  it('stores the recommended outcome, not yet the outcome, when the assessment is recorded', () => {
    const pending = applyEvent(SITUATIONS.underAssessment(), recommending('correct'));
    expect(pending).toEqual({
      value: 'pendingReview',
      context: { outcome: null, recommendedOutcome: 'correct', overridden: false, appealDueAt: null, appealed: false },
    });
  });

  it('moves on without an explanation when the explanation deadline passes, setting nothing', () => {
    const moved = applyEvent(initialSnapshot(), EVENTS['deadline.explanation']);
    expect(moved).toEqual({ value: 'underAssessment', context: initialSnapshot().context });
  });

  it.each(['tolerate', 'correct', 'hold-accountable'] as const)(
    'approve adopts the recommended outcome %s and opens the appeal window',
    (outcome) => {
      const decided = applyEvent(pendingWith(outcome), { type: 'review.approve', appealDueAt: APPEAL_DUE });
      expect(decided).toEqual({
        value: 'decided',
        context: { outcome, recommendedOutcome: outcome, overridden: false, appealDueAt: APPEAL_DUE, appealed: false },
      });
    },
  );

  it('override sets the named outcome, marks it overridden, keeps the recommendation and opens the appeal window', () => {
    const decided = applyEvent(pendingWith('tolerate'), { type: 'review.override', outcome: 'correct', appealDueAt: APPEAL_DUE });
    expect(decided).toEqual({
      value: 'decided',
      context: { outcome: 'correct', overridden: true, recommendedOutcome: 'tolerate', appealDueAt: APPEAL_DUE, appealed: false },
    });
  });

  it('return goes back to assessment without an outcome, and a new assessment replaces the recommendation', () => {
    const returned = applyEvent(SITUATIONS.pendingReview(), EVENTS['review.return']);
    expect(returned?.value).toBe('underAssessment');
    expect(returned?.context.outcome).toBeNull();
    const reassessed = applyEvent(returned!, recommending('hold-accountable'));
    expect(reassessed?.value).toBe('pendingReview');
    const decided = applyEvent(reassessed!, EVENTS['review.approve']);
    expect(decided?.context.outcome).toBe('hold-accountable');
  });

  it('withdrawing never sets an outcome', () => {
    for (const situation of ['awaitingExplanation', 'underAssessment', 'pendingReview'] as const) {
      const withdrawn = applyEvent(SITUATIONS[situation](), EVENTS['case.withdraw']);
      expect(withdrawn?.value).toBe('withdrawn');
      expect(withdrawn?.context.outcome).toBeNull();
    }
  });

  it('continues from a snapshot that went through JSON, as the database stores it', () => {
    const stored = JSON.parse(JSON.stringify(SITUATIONS['decided (correct)']())) as StoredSnapshot;
    expect(applyEvent(stored, EVENTS['appeal.submit'])?.value).toBe('appealReview');
    expect(applyEvent(stored, { type: 'appeal.submit', at: AFTER_WINDOW })).toBeNull();
    expect(applyEvent(stored, EVENTS['deadline.appealWindow'])?.value).toBe('correcting');
    expect(applyEvent(stored, EVENTS['explanation.submit'])).toBeNull();
  });
});

describe('appeals (申诉)', () => {
  it('accepts an appeal inside the window, up to and including its last instant, and marks the case appealed', () => {
    for (const at of [DECIDED_AT, INSIDE_WINDOW, APPEAL_DUE]) {
      const appealed = applyEvent(decidedWith('tolerate'), { type: 'appeal.submit', at });
      expect(appealed?.value).toBe('appealReview');
      expect(appealed?.context.appealed).toBe(true);
    }
  });

  it('keeps the decision in force while the appeal is reviewed', () => {
    const decided = decidedWith('hold-accountable');
    const appealed = applyEvent(decided, EVENTS['appeal.submit'])!;
    expect(appealed.context).toEqual({ ...decided.context, appealed: true });
  });

  it('refuses an appeal after the window, leaving the snapshot unchanged', () => {
    const decided = decidedWith('tolerate');
    const untouched = structuredClone(decided);
    const late = { type: 'appeal.submit', at: AFTER_WINDOW } as const;
    expect(canApply(decided, late)).toBe(false);
    expect(applyEvent(decided, late)).toBeNull();
    expect(decided).toEqual(untouched);
  });

  it('refuses an appeal when the decision carries no appeal window', () => {
    const decided = decidedWith('tolerate');
    expect(canApply({ ...decided, context: { ...decided.context, appealDueAt: null } }, EVENTS['appeal.submit'])).toBe(false);
    const withoutWindow = { ...decided.context };
    delete withoutWindow.appealDueAt;
    expect(canApply({ ...decided, context: withoutWindow }, EVENTS['appeal.submit'])).toBe(false);
  });

  it('allows one appeal per case', () => {
    const decided = decidedWith('correct');
    expect(canApply({ ...decided, context: { ...decided.context, appealed: true } }, EVENTS['appeal.submit'])).toBe(false);
    const upheldToCorrecting = applyEvent(appealedWith('correct'), {
      type: 'appeal.decide',
      outcome: 'correct',
      correctionComplete: false,
    })!;
    expect(upheldToCorrecting.value).toBe('correcting');
    expect(canApply(upheldToCorrecting, { type: 'appeal.submit', at: INSIDE_WINDOW })).toBe(false);
    const upheldToClosed = applyEvent(appealedWith('tolerate'), EVENTS['appeal.decide'])!;
    expect(canApply(upheldToClosed, { type: 'appeal.submit', at: INSIDE_WINDOW })).toBe(false);
  });

  it.each([
    ['tolerate', 'tolerate', false, 'closed'],
    ['tolerate', 'hold-accountable', false, 'closed'],
    ['hold-accountable', 'tolerate', false, 'closed'],
    ['tolerate', 'correct', false, 'correcting'],
    ['correct', 'correct', false, 'correcting'],
    ['correct', 'correct', true, 'closed'],
    ['correct', 'tolerate', false, 'closed'],
    ['correct', 'hold-accountable', false, 'closed'],
  ] as const)(
    'a ruling on a %s decision with final outcome %s (correction complete: %s) goes to %s',
    (original, outcome, correctionComplete, target) => {
      const ruled = applyEvent(appealedWith(original), { type: 'appeal.decide', outcome, correctionComplete });
      expect(ruled?.value).toBe(target);
      expect(ruled?.context).toMatchObject({ outcome, recommendedOutcome: original, appealed: true, appealDueAt: APPEAL_DUE });
    },
  );
});

describe('the appeal window closing', () => {
  it.each([
    ['tolerate', false, 'closed'],
    ['tolerate', true, 'closed'],
    ['hold-accountable', false, 'closed'],
    ['correct', false, 'correcting'],
    ['correct', true, 'closed'],
  ] as const)('closes a %s decision (correction complete: %s) to %s, keeping the outcome', (outcome, correctionComplete, target) => {
    const decided = decidedWith(outcome);
    const next = applyEvent(decided, { type: 'deadline.appealWindow', correctionComplete });
    expect(next).toEqual({ value: target, context: decided.context });
  });
});

describe('correction follow-through (纠错)', () => {
  it.each(['tolerate', 'hold-accountable'] as const)('takes no correction events on a %s decision', (outcome) => {
    const decided = decidedWith(outcome);
    for (const type of ['correction.add', 'correction.report', 'correction.verify'] as const) {
      expect(canApply(decided, EVENTS[type])).toBe(false);
    }
    expect(canApply(decided, { type: 'correction.verify', correctionComplete: true })).toBe(false);
  });

  it('tracks corrective actions during the appeal window without leaving decided, even when all are verified', () => {
    const decided = decidedWith('correct');
    for (const event of [
      EVENTS['correction.add'],
      EVENTS['correction.report'],
      { type: 'correction.verify', correctionComplete: true } as const,
    ]) {
      expect(applyEvent(decided, event)).toEqual(decided);
    }
  });

  it('closes a correcting case when the verification completes the correction', () => {
    const next = applyEvent(correcting(), { type: 'correction.verify', correctionComplete: true });
    expect(next).toEqual({ value: 'closed', context: correcting().context });
  });

  it('keeps a correcting case open while an action is still outstanding', () => {
    expect(applyEvent(correcting(), { type: 'correction.verify', correctionComplete: false })).toEqual(correcting());
  });

  it('takes no correction events during the appeal review', () => {
    for (const type of ['correction.add', 'correction.report', 'correction.verify'] as const) {
      expect(canApply(appealedWith('correct'), EVENTS[type])).toBe(false);
    }
  });
});

describe('escalation of an overdue time limit', () => {
  it.each([
    ['pendingReview', () => pendingWith('correct')],
    ['appealReview', () => appealedWith('tolerate')],
    ['correcting', correcting],
    ['decided (correct)', () => decidedWith('correct')],
  ] as const)('in %s is a targetless transition: snapshot unchanged', (_name, fixture) => {
    const before = fixture();
    expect(applyEvent(before, EVENTS['deadline.escalate'])).toEqual(before);
  });

  it.each(['awaitingExplanation', 'underAssessment', 'decided (tolerate)', 'decided (hold-accountable)', 'closed', 'withdrawn'] as const)(
    'is refused in %s',
    (situation) => {
      expect(canApply(SITUATIONS[situation](), EVENTS['deadline.escalate'])).toBe(false);
    },
  );
});
