import type { CaseState } from '../workflow/case-machine.js';
import { INTENTS, MOTIVES, NATURES, type Outcome } from '../workflow/case-types.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../workflow/deadline-plan.js';
import { msToDays, percentileOfSorted, rate, roundDays, sortedNumbers } from './stats.js';

/**
 * The leadership report (领导统计), computed from a few grouped rows the database returns. Pure: the
 * service gathers the rows, this file decides what every figure means.
 */

/** Cases opened in the period that share every reported attribute, and how many there are. */
export interface CaseGroup {
  unitId: string;
  category: string;
  outcome: Outcome | null;
  recommendedOutcome: Outcome | null;
  overridden: boolean;
  intent: string | null;
  motive: string | null;
  nature: string | null;
  appealed: boolean;
  appealDecision: 'uphold' | 'revise' | null;
  decided: boolean;
  cases: number;
}

export interface SummaryInput {
  groups: CaseGroup[];
  /** milliseconds from opening to decision of each of the period's decided cases, in any order */
  decisionMs: ArrayLike<number>;
  unitNames: ReadonlyMap<string, string>;
  /** now: open cases of the scope by state, whenever opened */
  openByState: Partial<Record<CaseState, number>>;
  /** now: open deadlines past due, by kind, and the cases that have one */
  overdueByKind: Partial<Record<DeadlineKind, number>>;
  overdueCases: number;
}

export const OPEN_STATES = ['awaitingExplanation', 'underAssessment', 'pendingReview', 'decided', 'appealReview', 'correcting'] as const;

type OutcomeCounts = Record<Outcome, number>;
const noOutcomes = (): OutcomeCounts => ({ tolerate: 0, correct: 0, 'hold-accountable': 0 });

interface Tally {
  cases: number;
  decided: number;
  byOutcome: OutcomeCounts;
}
const emptyTally = (): Tally => ({ cases: 0, decided: 0, byOutcome: noOutcomes() });

function count(tally: Tally, group: CaseGroup): void {
  tally.cases += group.cases;
  if (group.decided && group.outcome) {
    tally.decided += group.cases;
    tally.byOutcome[group.outcome] += group.cases;
  }
}

function tallyBy(groups: readonly CaseGroup[], key: (group: CaseGroup) => string | null): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  for (const group of groups) {
    const name = key(group);
    if (name !== null) {
      const tally = tallies.get(name) ?? emptyTally();
      count(tally, group);
      tallies.set(name, tally);
    }
  }
  return tallies;
}

const biggestFirst = <T extends { cases: number }>(a: T & { key: string }, b: T & { key: string }) =>
  b.cases - a.cases || a.key.localeCompare(b.key);

export function summarise(input: SummaryInput) {
  const { groups } = input;
  const all = emptyTally();
  let overridden = 0;
  let differs = 0;
  let appealed = 0;
  let ruled = 0;
  let revised = 0;
  for (const group of groups) {
    count(all, group);
    if (!group.decided) {
      continue;
    }
    overridden += group.overridden ? group.cases : 0;
    differs += group.recommendedOutcome !== null && group.outcome !== group.recommendedOutcome ? group.cases : 0;
    appealed += group.appealed ? group.cases : 0;
    ruled += group.appealDecision !== null ? group.cases : 0;
    revised += group.appealDecision === 'revise' ? group.cases : 0;
  }
  // All eight patterns, always in the same order, so two reports line up row for row.
  const patterns = tallyBy(groups, (g) => (g.intent && g.motive && g.nature ? `${g.intent}/${g.motive}/${g.nature}` : null));
  const byPattern = INTENTS.flatMap((intent) =>
    MOTIVES.flatMap((motive) =>
      NATURES.map((nature) => ({ intent, motive, nature, ...(patterns.get(`${intent}/${motive}/${nature}`) ?? emptyTally()) })),
    ),
  );
  const byCategory = [...tallyBy(groups, (g) => g.category)]
    .map(([key, tally]) => ({ key, category: key, ...tally }))
    .sort(biggestFirst)
    .map(({ key: _key, ...row }) => row);
  const byUnit = [...tallyBy(groups, (g) => g.unitId)]
    .map(([key, tally]) => ({ key: input.unitNames.get(key) ?? key, unitId: key, name: input.unitNames.get(key) ?? null, ...tally }))
    .sort(biggestFirst)
    .map(({ key: _key, ...row }) => row);
  // Sorted as milliseconds and converted after: a percentile scales with its values, and a city's 107,235
  // decisions are not copied once more to convert each.
  const decisionMs = sortedNumbers(input.decisionMs);
  const daysAt = (p: number) => {
    const ms = percentileOfSorted(decisionMs, p);
    return ms === null ? null : roundDays(msToDays(ms));
  };
  return {
    cases: all.cases,
    decided: all.decided,
    byOutcome: all.byOutcome,
    byPattern,
    byCategory,
    byUnit,
    overrides: {
      decided: all.decided,
      overridden,
      rate: rate(overridden, all.decided),
      finalDiffersFromRecommendation: differs,
      finalDiffersRate: rate(differs, all.decided),
    },
    appeals: { decided: all.decided, appealed, rate: rate(appealed, all.decided), ruled, revised, revisionRate: rate(revised, ruled) },
    daysToDecision: { cases: decisionMs.length, median: daysAt(0.5), p90: daysAt(0.9) },
    open: {
      total: OPEN_STATES.reduce((sum, state) => sum + (input.openByState[state] ?? 0), 0),
      byState: Object.fromEntries(OPEN_STATES.map((state) => [state, input.openByState[state] ?? 0])) as Record<
        (typeof OPEN_STATES)[number],
        number
      >,
    },
    overdue: {
      cases: input.overdueCases,
      deadlines: DEADLINE_KINDS.reduce((sum, kind) => sum + (input.overdueByKind[kind] ?? 0), 0),
      byKind: Object.fromEntries(DEADLINE_KINDS.map((kind) => [kind, input.overdueByKind[kind] ?? 0])) as Record<DeadlineKind, number>,
    },
  };
}

export type SummaryFigures = ReturnType<typeof summarise>;
