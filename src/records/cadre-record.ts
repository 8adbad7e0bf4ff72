import type { Outcome } from '../workflow/case-types.js';

/**
 * Results use (结果运用), domain.md: a tolerated case does not count against the cadre and the record says
 * so; a held-accountable case counts. A `correct` outcome is "not punished, but fixed" (the first of the
 * four forms), so it carries no negative evaluation either, but the record says correction was required.
 */
export function recordNote(outcome: Outcome): { negativeEvaluation: boolean; note: string } {
  switch (outcome) {
    case 'tolerate':
      return {
        negativeEvaluation: false,
        note: 'Tolerated (容错免责): does not count against appraisal, promotion or awards.',
      };
    case 'correct':
      return {
        negativeEvaluation: false,
        note: 'Corrected (纠错): not a punishment; the error had to be fixed and the correction was followed up.',
      };
    case 'hold-accountable':
      return { negativeEvaluation: true, note: 'Held accountable (问责): enters the record with its measures.' };
  }
}
