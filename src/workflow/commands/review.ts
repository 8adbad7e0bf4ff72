import { z } from 'zod';

import { DomainError } from '../../common/domain-error.js';
import { OUTCOMES } from '../case-types.js';
import { reviewViolations } from '../command-rules.js';
import { same } from '../replay/divergence.js';
import { accept, type CaseFields, defineCommand, recordedEvent, type Recorder, withActor } from './command-definition.js';

const outcome = z.enum(OUTCOMES);
const reason = z.string().nullable();

/** What every review records on the case: the review itself and its reviewer; a decision also its date. */
const reviewed = (decision: 'approve' | 'return' | 'override', current: CaseFields, reason: string | null, by: Recorder) => ({
  review: { decision, by: by.actorId, reason, at: by.at },
  reviewerIds: withActor(current.reviewerIds, by.actorId),
  ...(decision === 'return' ? {} : { decidedAt: by.at }),
});

export const reviewReturned = recordedEvent({
  type: 'review.returned',
  data: z.object({ reason }),
  fields: (current, d, by) => reviewed('return', current, d.reason, by),
  replay: () => ({ machineEvent: { type: 'review.return' } }),
});

export const reviewApproved = recordedEvent({
  type: 'review.approved',
  data: z.object({ outcome, reason, appealDueAt: z.string() }),
  fields: (current, d, by) => reviewed('approve', current, d.reason, by),
  replay: (_record, d) => ({
    machineEvent: { type: 'review.approve', appealDueAt: d.appealDueAt },
    check: (next) => same('approved outcome (the recommendation)', next.outcome, d.outcome),
  }),
});

export const reviewOverridden = recordedEvent({
  type: 'review.overridden',
  data: z.object({ outcome, recommendedOutcome: outcome.nullable(), reason, appealDueAt: z.string() }),
  fields: (current, d, by) => reviewed('override', current, d.reason, by),
  replay: (record, d) => {
    same('recommendedOutcome', record.recommendation?.outcome ?? null, d.recommendedOutcome);
    return { machineEvent: { type: 'review.override', outcome: d.outcome, appealDueAt: d.appealDueAt } };
  },
});

export interface ReviewInput {
  decision: 'approve' | 'return' | 'override';
  outcome?: (typeof OUTCOMES)[number];
  reason?: string;
}

/** A leader who took no part approves, returns or overrides the recommendation (审核). */
export const review = defineCommand({
  name: 'review',
  roles: ['leader'],
  independentOf: ['opened', 'assessed'],
  probe: (at) => [{ type: 'review.approve', appealDueAt: at }, { type: 'review.return' }],
  task: { kind: 'case', deadline: 'review' },
  records: [reviewReturned, reviewApproved, reviewOverridden],
  decide(input: ReviewInput, { case: row, now, dueAt }) {
    const violations = reviewViolations(input, row.recommendation);
    if (violations.length > 0) {
      throw DomainError.ruleViolation(violations);
    }
    const reason = input.reason?.trim() || null;
    if (input.decision === 'return') {
      return accept(
        reviewReturned,
        { reason },
        {
          event: { type: 'review.return' },
          notify: [{ to: row.assessorIds, kind: 'case.returned', message: `"${row.title}" was returned for more work: ${reason}` }],
        },
      );
    }
    const appealDueAt = dueAt('appealWindow', now).toISOString();
    const decided = input.decision === 'override' ? input.outcome! : row.recommendation!.outcome;
    const notify = [
      {
        kind: 'case.decided',
        message: `Decision on "${row.title}": ${decided}. An appeal (申诉) is possible until ${appealDueAt}.`,
        to: [row.subjectId, row.openedBy],
      },
    ];
    if (input.decision === 'approve') {
      return accept(reviewApproved, { outcome: decided, reason, appealDueAt }, { event: { type: 'review.approve', appealDueAt }, notify });
    }
    return accept(
      reviewOverridden,
      { outcome: decided, recommendedOutcome: row.recommendation?.outcome ?? null, reason, appealDueAt },
      { event: { type: 'review.override', outcome: decided, appealDueAt }, notify },
    );
  },
});
