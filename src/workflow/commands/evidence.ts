import { z } from 'zod';

import { accept, defineCommand, recordedEvent } from './command-definition.js';

const evidenceData = z.object({
  evidenceId: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});

export const evidenceAdded = recordedEvent({
  type: 'evidence.added',
  data: evidenceData,
  replay: (_record, d, event) => {
    const evidence = {
      id: d.evidenceId,
      filename: d.filename,
      mediaType: d.mediaType,
      size: d.size,
      sha256: d.sha256,
      uploadedBy: event.actorId,
      at: event.at,
    };
    // Appended in place. A new array per event made replaying a case with 1,000 pieces copy half a
    // million entries: 10 MB of garbage per verify, and the collections behind its slow p99. Safe
    // because the replay owns its record's arrays (replay-case.ts starts each one empty), and this
    // event has no `check` that could diverge after the update. So a record that replay returns
    // never holds a half-applied event.
    return {
      machineEvent: { type: 'evidence.add' },
      update: (r) => {
        r.evidence.push(evidence);
        return {};
      },
    };
  },
});

/** A stored file, as the evidence service received and checked it. */
export type EvidenceInput = z.infer<typeof evidenceData>;

/**
 * A file added to the case's evidence (证据材料): by the subject, as part of their statement, or by an
 * officer, as part of the investigation. The file itself is the evidence service's business (it is put in
 * place within the same unit of work, evidence/evidence.service.ts).
 */
export const evidence = defineCommand({
  name: 'evidence',
  roles: ['cadre', 'officer'],
  probe: () => [{ type: 'evidence.add' }],
  records: [evidenceAdded],
  decide: (input: EvidenceInput) => accept(evidenceAdded, { ...input }, { event: { type: 'evidence.add' } }),
});
