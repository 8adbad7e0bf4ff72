import { describe, expect, it } from '@jest/globals';

import { type CaseContext, type CaseEvent, caseMachine, rules } from './case-machine.js';
import type { Outcome } from './case-types.js';

const DUE = '2026-01-26T15:59:59.999Z';

const context = (overrides: Partial<CaseContext> = {}): CaseContext => ({
  outcome: 'correct',
  recommendedOutcome: 'correct',
  overridden: false,
  appealDueAt: DUE,
  appealed: false,
  ...overrides,
});

/** A named guard of the machine, called the way XState calls it. */
function guard(name: string): (context: CaseContext, event: CaseEvent) => boolean {
  const implementation = (caseMachine.implementations.guards as Record<string, unknown>)[name];
  if (typeof implementation !== 'function') {
    throw new Error(`the machine has no guard ${name}`);
  }
  return (ctx, event) => (implementation as (args: { context: CaseContext; event: CaseEvent }) => boolean)({ context: ctx, event });
}

describe('rules.appealWindowOpen', () => {
  it.each([
    ['long before the end of the window', '2026-01-05T09:00:00.000Z', true],
    ['at the last instant of the window', DUE, true],
    ['one millisecond after the window', '2026-01-26T16:00:00.000Z', false],
    ['days after the window', '2026-02-20T00:00:00.000Z', false],
  ])('is %s: %s → %s', (_name, at, open) => {
    expect(rules.appealWindowOpen(context(), at)).toBe(open);
  });

  it('is closed once the case was appealed, even inside the window', () => {
    expect(rules.appealWindowOpen(context({ appealed: true }), '2026-01-10T00:00:00.000Z')).toBe(false);
  });

  it.each([null, undefined, ''])('is closed when the decision set no window (appealDueAt %p)', (appealDueAt) => {
    expect(rules.appealWindowOpen(context({ appealDueAt }), '2026-01-10T00:00:00.000Z')).toBe(false);
  });

  it('treats a missing `appealed` (a snapshot written before it existed) as not appealed', () => {
    const older = context();
    delete older.appealed;
    expect(rules.appealWindowOpen(older, '2026-01-10T00:00:00.000Z')).toBe(true);
  });
});

describe('rules.needsCorrection', () => {
  it.each([
    ['correct', true],
    ['tolerate', false],
    ['hold-accountable', false],
    [null, false],
  ] as Array<[Outcome | null, boolean]>)('%p → %p', (outcome, expected) => {
    expect(rules.needsCorrection(outcome)).toBe(expected);
  });
});

describe('machine guards', () => {
  it('appealWindowOpen reads the time of the appeal.submit event and ignores other events', () => {
    const open = guard('appealWindowOpen');
    expect(open(context(), { type: 'appeal.submit', at: '2026-01-10T00:00:00.000Z' })).toBe(true);
    expect(open(context(), { type: 'appeal.submit', at: '2026-01-27T00:00:00.000Z' })).toBe(false);
    expect(open(context({ appealed: true }), { type: 'appeal.submit', at: '2026-01-10T00:00:00.000Z' })).toBe(false);
    expect(open(context(), { type: 'deadline.appealWindow', correctionComplete: false })).toBe(false);
  });

  it('outcomeIsCorrect holds only for a correct outcome in force', () => {
    const isCorrect = guard('outcomeIsCorrect');
    expect(isCorrect(context({ outcome: 'correct' }), { type: 'correction.add' })).toBe(true);
    for (const outcome of ['tolerate', 'hold-accountable', null] as const) {
      expect(isCorrect(context({ outcome }), { type: 'correction.add' })).toBe(false);
    }
  });

  it('appealKeepsCorrectionOpen holds for a final outcome correct with correction incomplete', () => {
    const keepsOpen = guard('appealKeepsCorrectionOpen');
    // the outcome that counts is the ruling's, not the one in force
    expect(keepsOpen(context({ outcome: 'tolerate' }), { type: 'appeal.decide', outcome: 'correct', correctionComplete: false })).toBe(
      true,
    );
    expect(keepsOpen(context({ outcome: 'correct' }), { type: 'appeal.decide', outcome: 'correct', correctionComplete: true })).toBe(false);
    expect(keepsOpen(context({ outcome: 'correct' }), { type: 'appeal.decide', outcome: 'tolerate', correctionComplete: false })).toBe(
      false,
    );
    expect(
      keepsOpen(context({ outcome: 'correct' }), { type: 'appeal.decide', outcome: 'hold-accountable', correctionComplete: false }),
    ).toBe(false);
    expect(keepsOpen(context(), { type: 'deadline.appealWindow', correctionComplete: false })).toBe(false);
  });

  it('correctionOutstanding holds for a correct outcome whose correction is incomplete', () => {
    const outstanding = guard('correctionOutstanding');
    expect(outstanding(context({ outcome: 'correct' }), { type: 'deadline.appealWindow', correctionComplete: false })).toBe(true);
    expect(outstanding(context({ outcome: 'correct' }), { type: 'deadline.appealWindow', correctionComplete: true })).toBe(false);
    expect(outstanding(context({ outcome: 'tolerate' }), { type: 'deadline.appealWindow', correctionComplete: false })).toBe(false);
    expect(outstanding(context({ outcome: 'hold-accountable' }), { type: 'deadline.appealWindow', correctionComplete: false })).toBe(false);
    // an event that says nothing about the correction does not count as outstanding
    expect(outstanding(context({ outcome: 'correct' }), { type: 'deadline.escalate' })).toBe(false);
  });

  it('correctionComplete reads the flag the command computed', () => {
    const complete = guard('correctionComplete');
    expect(complete(context(), { type: 'correction.verify', correctionComplete: true })).toBe(true);
    expect(complete(context(), { type: 'correction.verify', correctionComplete: false })).toBe(false);
    expect(complete(context(), { type: 'correction.report' })).toBe(false);
  });

  it('has no guard left untested here', () => {
    expect(Object.keys(caseMachine.implementations.guards).sort()).toEqual(
      ['appealKeepsCorrectionOpen', 'appealWindowOpen', 'correctionComplete', 'correctionOutstanding', 'outcomeIsCorrect'].sort(),
    );
  });
});
