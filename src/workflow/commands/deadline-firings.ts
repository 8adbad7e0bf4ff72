/**
 * What a passed deadline does, fired by the sweeper as actor `system` through the same runner as users'
 * commands (deadlines/deadline-sweeper.ts): the explanation's and the appeal window's move the case on;
 * the others alert the people responsible.
 */
import { z } from 'zod';

import { rules } from '../case-machine.js';
import { OUTCOMES } from '../case-types.js';
import type { DeadlineKind } from '../deadline-plan.js';
import { same } from '../replay/divergence.js';
import { accept, type CommandContext, type CommandDecision, recordedEvent } from './command-definition.js';

/** Every firing records the deadline it fired (optional to replay: only the firings' effects are replayed). */
const firingData = z.object({ deadlineId: z.string().optional(), kind: z.string().optional(), dueAt: z.string().optional() });

export const explanationMissed = recordedEvent({
  type: 'explanation.missed',
  data: firingData.extend({ noExplanationReceived: z.boolean().optional() }),
  replay: () => ({ machineEvent: { type: 'deadline.explanation' } }),
});

export const appealWindowClosed = recordedEvent({
  type: 'appeal-window.closed',
  data: firingData.extend({ outcome: z.enum(OUTCOMES).nullable() }),
  replay: (record, d) => {
    same('outcome', record.outcome, d.outcome);
    return { machineEvent: { type: 'deadline.appealWindow', correctionComplete: rules.correctionComplete(record.correctiveActions) } };
  },
});

export const deadlineEscalated = recordedEvent({
  type: 'deadline.escalated',
  data: firingData.extend({ actionId: z.string().nullable().optional() }),
  replay: () => ({ machineEvent: { type: 'deadline.escalate' } }),
});

export const FIRING_EVENTS = [explanationMissed, appealWindowClosed, deadlineEscalated];

/** The deadline that passed, as the sweeper claimed it. */
export interface PassedDeadline {
  id: string;
  kind: DeadlineKind;
  dueAt: string;
  actionId: string | null;
}

export function decideFiring(deadline: PassedDeadline, { case: row, actions }: CommandContext): CommandDecision {
  const base = { deadlineId: deadline.id, kind: deadline.kind, dueAt: deadline.dueAt };
  switch (deadline.kind) {
    case 'explanation':
      return accept(
        explanationMissed,
        { ...base, noExplanationReceived: true },
        {
          event: { type: 'deadline.explanation' },
          notify: [
            {
              to: [row.subjectId, row.openedBy],
              kind: 'deadline.missed',
              message: `No explanation was received for "${row.title}" by ${deadline.dueAt}; the case moved on to assessment.`,
            },
          ],
        },
      );
    case 'appealWindow':
      return accept(
        appealWindowClosed,
        { ...base, outcome: row.outcome },
        {
          event: { type: 'deadline.appealWindow', correctionComplete: rules.correctionComplete(actions) },
          notify: [
            {
              to: [row.subjectId, row.openedBy],
              kind: 'appeal-window.closed',
              message: `The appeal window for "${row.title}" has closed; the outcome ${row.outcome} is final.`,
            },
          ],
        },
      );
    case 'review':
    case 'appealReview':
    case 'correction': {
      const action = actions.find((a) => a.id === deadline.actionId);
      const what =
        deadline.kind === 'correction'
          ? `corrective action "${action?.description ?? deadline.actionId}"`
          : `the ${deadline.kind === 'review' ? 'review' : 'appeal ruling'}`;
      return accept(
        deadlineEscalated,
        { ...base, actionId: deadline.actionId },
        {
          event: { type: 'deadline.escalate' },
          notify: [
            {
              to: deadline.kind === 'correction' ? [row.subjectId, row.openedBy] : [row.openedBy],
              unitLeaders: true,
              kind: 'deadline.escalated',
              message: `Overdue since ${deadline.dueAt}: ${what} on "${row.title}".`,
            },
          ],
        },
      );
    }
  }
}
