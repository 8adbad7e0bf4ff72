import { describe, expect, it } from '@jest/globals';

import { caseOpened } from './open-case.js';
import { COMMAND_DEFINITIONS, RECORDED_EVENTS, TASK_ACTIONS } from './registry.js';

describe('the command registry', () => {
  it('lists the commands in the API order of allowedActions', () => {
    expect(COMMAND_DEFINITIONS.map((d) => d.name)).toEqual([
      'explanation',
      'assessment',
      'review',
      'withdraw',
      'appeal',
      'appeal-review',
      'corrective-actions',
      'corrective-action-report',
      'corrective-action-verify',
      'evidence',
    ]);
  });

  it('gives every recorded event type one definition, so replay reads each one way', () => {
    const types = [...COMMAND_DEFINITIONS.flatMap((d) => d.records), ...RECORDED_EVENTS.values()].map((e) => e.type);
    const declared = COMMAND_DEFINITIONS.flatMap((d) => d.records.map((e) => e.type));
    expect(new Set(declared).size).toBe(declared.length);
    expect(new Set(types)).toEqual(new Set([...RECORDED_EVENTS.keys()]));
    expect(RECORDED_EVENTS.has(caseOpened.type)).toBe(false); // the opening starts a replay, it is not a step
    expect([...RECORDED_EVENTS.keys()].sort()).toEqual(
      [
        'explanation.submitted',
        'explanation.missed',
        'assessment.recorded',
        'review.returned',
        'review.approved',
        'review.overridden',
        'case.withdrawn',
        'appeal.submitted',
        'appeal.upheld',
        'appeal.revised',
        'appeal-window.closed',
        'deadline.escalated',
        'corrective-action.added',
        'corrective-action.reported',
        'corrective-action.verified',
        'corrective-action.rejected',
        'evidence.added',
      ].sort(),
    );
  });

  it('makes tasks of the commands someone must do, and rights of the others', () => {
    expect(TASK_ACTIONS).toEqual([
      'explanation',
      'assessment',
      'review',
      'appeal-review',
      'corrective-actions',
      'corrective-action-report',
      'corrective-action-verify',
    ]);
  });
});
