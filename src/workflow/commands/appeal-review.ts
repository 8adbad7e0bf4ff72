import { z } from 'zod';

import { DomainError } from '../../common/domain-error.js';
import { rules } from '../case-machine.js';
import { type Outcome, OUTCOMES } from '../case-types.js';
import { same } from '../replay/divergence.js';
import { accept, defineCommand, type RecordedEvent, recordedEvent, withActor } from './command-definition.js';

const outcome = z.enum(OUTCOMES);
const appealDecisionData = z.object({
  decision: z.enum(['uphold', 'revise']),
  outcome,
  previousOutcome: outcome.nullable(),
  reason: z.string(),
});

/** The ruling on an appeal, upheld or revised: one shape, two event types. */
function appealDecided(type: 'appeal.upheld' | 'appeal.revised'): RecordedEvent<z.infer<typeof appealDecisionData>> {
  return recordedEvent({
    type,
    data: appealDecisionData,
    fields: (current, d, by) => ({
      reviewerIds: withActor(current.reviewerIds, by.actorId),
      appeal: current.appeal && {
        ...current.appeal,
        decision: d.decision,
        decidedBy: by.actorId,
        decidedAt: by.at,
        decisionReason: d.reason,
      },
    }),
    replay: (record, d) => {
      same('decision', type === 'appeal.revised' ? 'revise' : 'uphold', d.decision);
      same('previousOutcome', record.outcome, d.previousOutcome);
      if (d.decision === 'uphold') {
        same('upheld outcome', record.outcome, d.outcome);
      }
      return {
        machineEvent: { type: 'appeal.decide', outcome: d.outcome, correctionComplete: rules.correctionComplete(record.correctiveActions) },
      };
    },
  });
}

export const appealUpheld = appealDecided('appeal.upheld');
export const appealRevised = appealDecided('appeal.revised');

export interface AppealReviewInput {
  decision: 'uphold' | 'revise';
  outcome?: Outcome;
  reason: string;
}

/** A leader who took no part in the case or its decision rules on the appeal (复查). */
export const appealReview = defineCommand({
  name: 'appeal-review',
  roles: ['leader'],
  independentOf: ['opened', 'assessed', 'reviewed'],
  probe: () => [{ type: 'appeal.decide', outcome: 'correct', correctionComplete: false }],
  task: { kind: 'case', deadline: 'appealReview' },
  records: [appealUpheld, appealRevised],
  decide(input: AppealReviewInput, { case: row, actions }) {
    if (input.decision === 'revise' && !input.outcome) {
      throw DomainError.ruleViolation([{ field: 'outcome', message: 'a revision must name the new outcome' }]);
    }
    if (input.decision === 'revise' && input.outcome === row.outcome) {
      throw DomainError.ruleViolation([{ field: 'outcome', message: 'the outcome equals the decision in force; uphold instead' }]);
    }
    if (input.decision === 'uphold' && input.outcome !== undefined) {
      throw DomainError.ruleViolation([{ field: 'outcome', message: 'an upheld decision keeps its outcome; leave outcome out' }]);
    }
    const ruled = input.decision === 'revise' ? input.outcome! : row.outcome!;
    return accept(
      input.decision === 'revise' ? appealRevised : appealUpheld,
      { decision: input.decision, outcome: ruled, previousOutcome: row.outcome, reason: input.reason },
      {
        event: { type: 'appeal.decide', outcome: ruled, correctionComplete: rules.correctionComplete(actions) },
        notify: [
          {
            to: [row.subjectId, row.openedBy],
            kind: 'appeal.decided',
            message: `Appeal on "${row.title}" ${input.decision === 'revise' ? 'revised' : 'upheld'}: final outcome ${ruled}.`,
          },
        ],
      },
    );
  },
});
