/**
 * What each audit event type must carry for replay, as zod schemas. Replay reads event data through
 * these, so a hand-edited event with a missing or mistyped field is reported as a divergence at its seq,
 * not as a crash. Extra fields are allowed: events gain fields over time.
 */
import { z } from 'zod';

import { CASE_SOURCES, DECISION_FACTORS, EXCLUSIONS, INTENTS, MOTIVES, NATURES, OUTCOMES, SEVERITIES } from '../case-types.js';

const outcome = z.enum(OUTCOMES);
const text = z.string();
const nullableText = z.string().nullable();
const ids = z.array(z.string());

/** Every command's event carries the transition it made and the case version it produced. */
export const commandEnvelope = z.object({
  transition: z.object({ from: text, to: text }),
  caseVersion: z.number().int(),
});

export const openedData = z.object({
  subjectId: text,
  unitId: text,
  title: text,
  description: text,
  category: text,
  source: z.enum(CASE_SOURCES),
  occurredAt: text,
  /** sha256: the pinned policy's digest (recorded since issue 4; older openings lack it) */
  policy: z.object({ id: text, version: z.number().int(), sha256: text.optional() }),
  state: text,
});

export const explanationData = z.object({ statement: text, evidenceIds: ids.optional() });

export const assessmentData = z.object({
  assessment: z.object({
    intent: z.enum(INTENTS),
    motive: z.enum(MOTIVES),
    nature: z.enum(NATURES),
    conditions: z.object({ policyCompliant: z.boolean(), procedureFollowed: z.boolean(), diligent: z.boolean(), remedied: z.boolean() }),
    severity: z.enum(SEVERITIES),
    exclusions: z.array(z.enum(EXCLUSIONS)),
    findings: text,
    evidence: z.partialRecord(z.enum(DECISION_FACTORS), ids).optional(),
  }),
  // Checked by recomputing it, so only its shape matters here.
  recommendation: z
    .object({
      outcome,
      rule: text,
      repeatOf: z.object({ caseId: text, decidedAt: text }).nullable().optional(),
    })
    .loose(),
});

export const reviewReturnData = z.object({ reason: nullableText });
export const approveData = z.object({ outcome, reason: nullableText, appealDueAt: text });
export const overrideData = z.object({ outcome, recommendedOutcome: outcome.nullable(), reason: nullableText, appealDueAt: text });
export const withdrawData = z.object({ reason: text, clearName: z.boolean() });
export const appealData = z.object({ reason: text, outcomeInForce: outcome.nullable() });
export const appealDecisionData = z.object({
  decision: z.enum(['uphold', 'revise']),
  outcome,
  previousOutcome: outcome.nullable(),
  reason: text,
});
export const appealWindowData = z.object({ outcome: outcome.nullable() });
export const actionAddedData = z.object({ actionId: text, description: text, dueAt: text });
export const actionReportedData = z.object({ actionId: text, note: text });
export const actionVerifiedData = z.object({ actionId: text, accepted: z.boolean(), note: text });
export const evidenceData = z.object({ evidenceId: text, filename: text, mediaType: text, size: z.number().int(), sha256: text });
export const noData = z.object({});
