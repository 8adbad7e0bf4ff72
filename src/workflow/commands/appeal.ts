import { z } from 'zod';

import { OUTCOMES } from '../case-types.js';
import { same } from '../replay/divergence.js';
import { accept, defineCommand, recordedEvent } from './command-definition.js';

export const appealSubmitted = recordedEvent({
  type: 'appeal.submitted',
  data: z.object({ reason: z.string(), outcomeInForce: z.enum(OUTCOMES).nullable() }),
  fields: (_current, d, by) => ({
    appeal: {
      reason: d.reason,
      by: by.actorId,
      at: by.at,
      decision: null,
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      originalOutcome: d.outcomeInForce,
    },
  }),
  replay: (record, d, event) => {
    same('outcomeInForce', record.outcome, d.outcomeInForce);
    return { machineEvent: { type: 'appeal.submit', at: event.at } };
  },
});

export interface AppealInput {
  reason: string;
}

/** The subject appeals (申诉) inside the window; the decision stays in force meanwhile. */
export const appeal = defineCommand({
  name: 'appeal',
  roles: ['cadre'],
  probe: (at) => [{ type: 'appeal.submit', at }],
  records: [appealSubmitted],
  decide(input: AppealInput, { case: row, at }) {
    return accept(
      appealSubmitted,
      { reason: input.reason, outcomeInForce: row.outcome },
      {
        event: { type: 'appeal.submit', at },
        notify: [
          {
            to: [row.openedBy],
            unitLeaders: true,
            kind: 'appeal.submitted',
            message: `The cadre appealed the decision on "${row.title}"; the decision stays in force meanwhile.`,
          },
        ],
      },
    );
  },
});
