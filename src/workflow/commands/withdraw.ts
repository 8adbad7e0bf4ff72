import { z } from 'zod';

import { accept, defineCommand, recordedEvent } from './command-definition.js';

export const caseWithdrawn = recordedEvent({
  type: 'case.withdrawn',
  data: z.object({ reason: z.string(), clearName: z.boolean() }),
  fields: (_current, d) => ({ nameCleared: d.clearName }),
  replay: () => ({ machineEvent: { type: 'case.withdraw' } }),
});

export interface WithdrawInput {
  reason: string;
  clearName?: boolean;
}

/** The officer withdraws a case before its decision, clearing the cadre's name (澄清正名) if unfounded. */
export const withdraw = defineCommand({
  name: 'withdraw',
  roles: ['officer'],
  probe: () => [{ type: 'case.withdraw' }],
  records: [caseWithdrawn],
  decide(input: WithdrawInput, { case: row }) {
    const clearName = input.clearName === true;
    return accept(
      caseWithdrawn,
      { reason: input.reason, clearName },
      {
        event: { type: 'case.withdraw' },
        notify: [
          {
            to: [row.subjectId],
            kind: 'case.withdrawn',
            message: clearName
              ? `The case "${row.title}" was withdrawn and your name cleared (澄清正名): ${input.reason}`
              : `The case "${row.title}" was withdrawn: ${input.reason}`,
          },
        ],
      },
    );
  },
});
