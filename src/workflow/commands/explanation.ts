import { z } from 'zod';

import { DomainError } from '../../common/domain-error.js';
import { citationViolations } from '../command-rules.js';
import { accept, type CommandLookups, defineCommand, recordedEvent } from './command-definition.js';

export const explanationSubmitted = recordedEvent({
  type: 'explanation.submitted',
  data: z.object({ statement: z.string(), evidenceIds: z.array(z.string()).optional() }),
  fields: (_current, d) => ({ explanation: d.statement, explanationEvidenceIds: d.evidenceIds ?? [] }),
  replay: () => ({ machineEvent: { type: 'explanation.submit' } }),
});

export interface ExplanationInput {
  statement: string;
  evidenceIds?: string[];
}

/** The cadre's statement (陈述申辩), citing evidence of the case if they like. */
export const explanation = defineCommand({
  name: 'explanation',
  roles: ['cadre'],
  probe: () => [{ type: 'explanation.submit' }],
  task: { kind: 'case', deadline: 'explanation' },
  records: [explanationSubmitted],
  async decide(input: ExplanationInput, { lookups }) {
    const evidenceIds = input.evidenceIds ?? [];
    await refuseUnknownEvidence(lookups, [['evidenceIds', evidenceIds]]);
    return accept(explanationSubmitted, { statement: input.statement, evidenceIds }, { event: { type: 'explanation.submit' } });
  },
});

/** Cited evidence must belong to this case (422 naming the citing field). */
export async function refuseUnknownEvidence(
  lookups: CommandLookups,
  citations: ReadonlyArray<readonly [field: string, ids: readonly string[]]>,
): Promise<void> {
  if (citations.every(([, ids]) => ids.length === 0)) {
    return;
  }
  const violations = citationViolations(citations, await lookups.evidenceIds());
  if (violations.length > 0) {
    throw DomainError.ruleViolation(violations);
  }
}
