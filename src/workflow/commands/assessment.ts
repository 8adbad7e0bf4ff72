import { z } from 'zod';

import { DomainError } from '../../common/domain-error.js';
import type {
  Assessment,
  DecisionFactor,
  Exclusion,
  Intent,
  Motive,
  Nature,
  Recommendation,
  Severity,
  ToleranceConditions,
} from '../case-types.js';
import { DECISION_FACTORS, EXCLUSIONS, INTENTS, MOTIVES, NATURES, OUTCOMES, SEVERITIES } from '../case-types.js';
import { subtractDuration } from '../deadline-calendar.js';
import { annotateRepeat } from '../policy/annotate-repeat.js';
import { evaluatePolicy } from '../policy/evaluate-policy.js';
import { Diverged, same } from '../replay/divergence.js';
import { accept, defineCommand, recordedEvent, withActor } from './command-definition.js';
import { refuseUnknownEvidence } from './explanation.js';

const ids = z.array(z.string());

export const assessmentRecorded = recordedEvent({
  type: 'assessment.recorded',
  data: z.object({
    assessment: z.object({
      intent: z.enum(INTENTS),
      motive: z.enum(MOTIVES),
      nature: z.enum(NATURES),
      conditions: z.object({ policyCompliant: z.boolean(), procedureFollowed: z.boolean(), diligent: z.boolean(), remedied: z.boolean() }),
      severity: z.enum(SEVERITIES),
      exclusions: z.array(z.enum(EXCLUSIONS)),
      findings: z.string(),
      evidence: z.partialRecord(z.enum(DECISION_FACTORS), ids).optional(),
    }),
    // Checked by recomputing it, so only its shape matters here.
    recommendation: z
      .object({
        outcome: z.enum(OUTCOMES),
        rule: z.string(),
        repeatOf: z.object({ caseId: z.string(), decidedAt: z.string() }).nullable().optional(),
      })
      .loose(),
  }),
  fields: (current, d, by) => ({
    assessment: d.assessment,
    recommendation: d.recommendation as unknown as Recommendation,
    assessorIds: withActor(current.assessorIds, by.actorId),
  }),
  /** The recommendation is recomputed from the recorded assessment with the pinned policy version. */
  replay: (record, d, event, policyOf) => {
    const raw = event.data as { recommendation: Recommendation };
    const { id, version } = record.policy;
    const policy = policyOf(id, version);
    if (!policy) {
      throw new Diverged(`policy ${id} v${version} is not available to replay the assessment`, `${id} v${version}`, null);
    }
    const repeatOf = d.recommendation.repeatOf ?? null;
    const recomputed = annotateRepeat(evaluatePolicy(policy, { ...d.assessment, repeatError: repeatOf !== null }), repeatOf);
    same(`recommendation (policy ${id} v${version} on the recorded assessment)`, recomputed, raw.recommendation);
    return { machineEvent: { type: 'assessment.record', recommendedOutcome: recomputed.outcome } };
  },
});

export interface AssessmentInput {
  intent: Intent;
  motive: Motive;
  nature: Nature;
  conditions: ToleranceConditions;
  severity: Severity;
  exclusions?: Exclusion[];
  findings: string;
  evidence?: Partial<Record<DecisionFactor, string[]>>;
}

/** The officer's findings on the three distinctions and the conditions; the pinned policy recommends. */
export const assessment = defineCommand({
  name: 'assessment',
  roles: ['officer'],
  probe: () => [{ type: 'assessment.record', recommendedOutcome: 'correct' }],
  task: { kind: 'case', deadline: null },
  records: [assessmentRecorded],
  async decide(input: AssessmentInput, { policy, now, lookups }) {
    const unlisted = (input.exclusions ?? []).filter((item) => !policy.negativeList.includes(item));
    if (unlisted.length > 0) {
      throw DomainError.ruleViolation([
        { field: 'exclusions', message: `not on the negative list of policy ${policy.id} v${policy.version}: ${unlisted.join(', ')}` },
      ]);
    }
    const evidence = input.evidence ?? {};
    await refuseUnknownEvidence(
      lookups,
      Object.entries(evidence).map(([factor, cited]) => [`evidence.${factor}`, cited ?? []] as const),
    );
    const recorded: Assessment = {
      intent: input.intent,
      motive: input.motive,
      nature: input.nature,
      conditions: { ...input.conditions },
      severity: input.severity,
      exclusions: input.exclusions ?? [],
      findings: input.findings,
      evidence,
    };
    // A repeat error (domain.md, negative list): the cadre already had a case of the same category
    // tolerated within the policy's repeat window. Tolerance is then unavailable.
    const repeatOf = await lookups.earlierTolerance(subtractDuration(now, policy.repeatWindow).toISOString());
    const recommendation = annotateRepeat(evaluatePolicy(policy, { ...recorded, repeatError: repeatOf !== null }), repeatOf);
    return accept(
      assessmentRecorded,
      // A Recommendation is what the schema's loose shape checks (an interface has no index signature).
      { assessment: recorded, recommendation: recommendation as unknown as Record<string, unknown> & Recommendation },
      { event: { type: 'assessment.record', recommendedOutcome: recommendation.outcome } },
    );
  },
});
