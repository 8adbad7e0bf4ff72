import type { Outcome } from '../../src/workflow/case-types.js';
import type { Script } from './template-cases.js';

/**
 * The lifecycle paths of domain.md, each a short script played through the real application, with its
 * share of the seeded cases. Most cases of a three-year-old database are closed; a fraction sits in every
 * open state, some of them overdue (a review, appeal ruling or corrective action escalated).
 *
 * `span`: days from opening to the end of the script (an upper bound); `recent`: at most how many days
 * before "now" the template ends (small when a time limit is still running, so it does not expire).
 */
export interface Scenario {
  name: string;
  /** percent of all seeded cases */
  weight: number;
  span: number;
  recent: number;
  run: (s: Script) => Promise<void>;
}

/** Explanation (with cited evidence in some cases) or a missed explanation deadline. */
async function explainOrMiss(s: Script, missRate = 0.15): Promise<void> {
  if (s.rng.next() < missRate) {
    await s.lapse('explanation');
    return;
  }
  s.wait(1);
  const evidence = s.rng.next() < 0.3 ? await s.evidence(s.rng.int(1, 2)) : [];
  await s.explain(evidence);
}

async function toPendingReview(s: Script, outcome: Outcome, missRate = 0.15): Promise<void> {
  await s.open();
  await explainOrMiss(s, missRate);
  s.wait(3);
  if (s.rng.next() < 0.1) {
    await s.evidence(1, 'officer');
  }
  await s.assess(outcome);
  s.wait(2);
}

/** A `correct` decision's corrective actions, reported and verified. */
async function correctFully(s: Script): Promise<void> {
  s.wait(1);
  const actions = [await s.addAction(), ...(s.rng.next() < 0.4 ? [await s.addAction()] : [])];
  s.wait(6);
  for (const action of actions) {
    await s.reportAction(action);
  }
  s.wait(2);
  if (s.rng.next() < 0.2) {
    await s.verifyAction(actions[0], false);
    s.wait(3);
    await s.reportAction(actions[0]);
    s.wait(1);
  }
  for (const action of actions) {
    await s.verifyAction(action);
  }
}

const closedAfter = (outcome: Outcome) => async (s: Script) => {
  await toPendingReview(s, outcome);
  await s.approve();
  if (s.recommended === 'correct') {
    await correctFully(s);
  }
  await s.lapse('appealWindow');
};

export const SCENARIOS: Scenario[] = [
  // Closed: the bulk of a mature database.
  { name: 'closed-tolerate', weight: 24, span: 45, recent: 200, run: closedAfter('tolerate') },
  { name: 'closed-correct', weight: 18, span: 50, recent: 200, run: closedAfter('correct') },
  { name: 'closed-hold-accountable', weight: 15, span: 45, recent: 200, run: closedAfter('hold-accountable') },
  {
    name: 'closed-correct-after-window',
    weight: 4,
    span: 60,
    recent: 200,
    run: async (s) => {
      await toPendingReview(s, 'correct');
      await s.approve();
      s.wait(1);
      const action = await s.addAction();
      await s.lapse('appealWindow'); // → correcting: the action is still open
      s.wait(5);
      await s.reportAction(action);
      s.wait(2);
      await s.verifyAction(action); // → closed
    },
  },
  {
    name: 'closed-override',
    weight: 5,
    span: 60,
    recent: 200,
    run: async (s) => {
      await toPendingReview(s, s.rng.pick(['tolerate', 'correct', 'hold-accountable'] as const));
      const decided = s.rng.pick((['tolerate', 'correct', 'hold-accountable'] as const).filter((o) => o !== s.recommended));
      await s.override(decided);
      if (decided === 'correct') {
        await correctFully(s);
      }
      await s.lapse('appealWindow');
    },
  },
  {
    name: 'closed-returned-then-approved',
    weight: 4,
    span: 65,
    recent: 200,
    run: async (s) => {
      await toPendingReview(s, 'hold-accountable');
      await s.returnForWork();
      s.wait(4);
      await s.assess(s.rng.pick(['tolerate', 'hold-accountable'] as const));
      s.wait(2);
      await s.approve();
      if (s.recommended === 'correct') {
        await correctFully(s);
      }
      await s.lapse('appealWindow');
    },
  },
  {
    name: 'closed-appeal-upheld',
    weight: 4,
    span: 45,
    recent: 200,
    run: async (s) => {
      await toPendingReview(s, 'hold-accountable');
      await s.approve();
      s.wait(4);
      await s.appeal();
      s.wait(12);
      await s.ruleOnAppeal('uphold'); // → closed
    },
  },
  {
    name: 'closed-appeal-revised',
    weight: 2,
    span: 45,
    recent: 200,
    run: async (s) => {
      await toPendingReview(s, 'hold-accountable');
      await s.approve();
      s.wait(3);
      await s.appeal();
      s.wait(15);
      await s.ruleOnAppeal('revise', 'tolerate'); // → closed
    },
  },
  {
    name: 'withdrawn-name-cleared',
    weight: 3,
    span: 10,
    recent: 200,
    run: async (s) => {
      await s.open();
      s.wait(2);
      await s.explain();
      s.wait(5);
      await s.withdraw(true);
    },
  },
  {
    name: 'withdrawn',
    weight: 2,
    span: 5,
    recent: 200,
    run: async (s) => {
      await s.open();
      s.wait(3);
      await s.withdraw(false);
    },
  },
  // Open cases, in every state.
  { name: 'awaiting-explanation', weight: 2.5, span: 1, recent: 2, run: (s) => s.open() },
  {
    name: 'awaiting-explanation-with-evidence',
    weight: 0.5,
    span: 2,
    recent: 1,
    run: async (s) => {
      await s.open();
      s.wait(0.5);
      await s.evidence(1);
    },
  },
  {
    name: 'under-assessment',
    weight: 2,
    span: 5,
    recent: 25,
    run: async (s) => {
      await s.open();
      await explainOrMiss(s, 0);
    },
  },
  {
    name: 'under-assessment-explanation-missed',
    weight: 1,
    span: 12,
    recent: 25,
    run: async (s) => {
      await s.open();
      await s.lapse('explanation');
    },
  },
  {
    name: 'under-assessment-returned',
    weight: 0.5,
    span: 18,
    recent: 15,
    run: async (s) => {
      await toPendingReview(s, 'correct');
      await s.returnForWork();
    },
  },
  {
    name: 'pending-review',
    weight: 2,
    span: 8,
    recent: 3,
    run: (s) => toPendingReview(s, s.rng.pick(['tolerate', 'correct', 'hold-accountable'] as const), 0),
  },
  {
    name: 'pending-review-overdue',
    weight: 1,
    span: 35,
    recent: 40,
    run: async (s) => {
      await toPendingReview(s, s.rng.pick(['tolerate', 'correct', 'hold-accountable'] as const));
      await s.lapse('review'); // escalated to the unit's leaders
    },
  },
  ...(['tolerate', 'correct', 'hold-accountable'] as const).map((outcome): Scenario => ({
    name: `decided-${outcome}`,
    weight: 1,
    span: 9,
    recent: 8,
    run: async (s) => {
      await toPendingReview(s, outcome, 0);
      await s.approve();
      if (s.recommended === 'correct') {
        s.wait(1);
        await s.addAction();
      }
    },
  })),
  {
    name: 'appeal-review',
    weight: 0.7,
    span: 12,
    recent: 25,
    run: async (s) => {
      await toPendingReview(s, 'hold-accountable', 0);
      await s.approve();
      s.wait(3);
      await s.appeal();
    },
  },
  {
    name: 'appeal-review-overdue',
    weight: 0.3,
    span: 75,
    recent: 40,
    run: async (s) => {
      await toPendingReview(s, 'hold-accountable');
      await s.approve();
      s.wait(3);
      await s.appeal();
      await s.lapse('appealReview');
    },
  },
  {
    name: 'correcting',
    weight: 1.5,
    span: 36,
    recent: 6,
    run: async (s) => {
      await toPendingReview(s, 'correct', 0);
      await s.approve();
      s.wait(1);
      const action = await s.addAction();
      await s.lapse('appealWindow'); // → correcting
      if (s.rng.next() < 0.5) {
        s.wait(2);
        await s.reportAction(action);
      }
    },
  },
  {
    name: 'correcting-overdue',
    weight: 1,
    span: 75,
    recent: 40,
    run: async (s) => {
      await toPendingReview(s, 'correct');
      await s.approve();
      s.wait(1);
      await s.addAction();
      await s.lapse('appealWindow');
      await s.lapse('correction'); // escalated; the action stays overdue
    },
  },
];
