import { describe, expect, it } from '@jest/globals';

import type { Recommendation } from './case-types.js';
import { citationViolations, reviewViolations } from './command-rules.js';

const tolerate: Recommendation = { outcome: 'tolerate', rule: 'R3-tolerate', trace: [], policy: { id: 'default', version: 1 } };

const fields = (violations: ReturnType<typeof reviewViolations>) => violations.map((v) => v.field);

describe('reviewViolations', () => {
  it('accepts a bare approval, with or without a reason', () => {
    expect(reviewViolations({ decision: 'approve' }, tolerate)).toEqual([]);
    expect(reviewViolations({ decision: 'approve', reason: 'agreed' }, tolerate)).toEqual([]);
  });

  it('refuses an approval that names an outcome (that is an override)', () => {
    expect(fields(reviewViolations({ decision: 'approve', outcome: 'correct' }, tolerate))).toEqual(['outcome']);
  });

  it('requires a reason to return a case', () => {
    expect(reviewViolations({ decision: 'return', reason: 'check the loss' }, tolerate)).toEqual([]);
    expect(reviewViolations({ decision: 'return' }, tolerate)).toEqual([
      { field: 'reason', message: 'a reason is required to return a case for more work' },
    ]);
  });

  it('treats a whitespace-only reason as no reason', () => {
    expect(fields(reviewViolations({ decision: 'return', reason: '  \n\t ' }, tolerate))).toEqual(['reason']);
    expect(fields(reviewViolations({ decision: 'override', outcome: 'correct', reason: '   ' }, tolerate))).toEqual(['reason']);
  });

  it('accepts an override with a different outcome and a reason', () => {
    expect(reviewViolations({ decision: 'override', outcome: 'correct', reason: 'needs rectification' }, tolerate)).toEqual([]);
  });

  it('requires an override to name the outcome', () => {
    expect(reviewViolations({ decision: 'override', reason: 'needs rectification' }, tolerate)).toEqual([
      { field: 'outcome', message: 'an override must name the outcome' },
    ]);
  });

  it('requires an override to carry a written reason', () => {
    expect(reviewViolations({ decision: 'override', outcome: 'hold-accountable' }, tolerate)).toEqual([
      { field: 'reason', message: 'an override requires a written reason' },
    ]);
  });

  it('reports every missing piece of an override at once', () => {
    expect(fields(reviewViolations({ decision: 'override' }, tolerate))).toEqual(['outcome', 'reason']);
  });

  it('refuses an override to the recommended outcome', () => {
    expect(reviewViolations({ decision: 'override', outcome: 'tolerate', reason: 'same' }, tolerate)).toEqual([
      { field: 'outcome', message: 'the outcome equals the recommendation; approve instead' },
    ]);
  });
});

describe('citationViolations', () => {
  const known = new Set(['e1', 'e2']);

  it('accepts citations of the case’s own evidence, and none at all', () => {
    expect(citationViolations([['evidenceIds', ['e1', 'e2']]], known)).toEqual([]);
    expect(citationViolations([], known)).toEqual([]);
    expect(citationViolations([['evidence.intent', []]], new Set())).toEqual([]);
  });

  it('names each field that cites an id the case does not have, with the ids', () => {
    expect(
      citationViolations(
        [
          ['evidence.intent', ['e1', 'x9']],
          ['evidence.motive', ['e2']],
          ['evidence.conditions.remedied', ['y1', 'y2']],
        ],
        known,
      ),
    ).toEqual([
      { field: 'evidence.intent', message: 'no evidence of this case with id x9' },
      { field: 'evidence.conditions.remedied', message: 'no evidence of this case with id y1, y2' },
    ]);
  });
});
