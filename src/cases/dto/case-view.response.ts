import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';

import { CASE_COMMANDS, type CaseCommand } from '../../workflow/case-access.js';
import { CASE_STATES, type CaseState } from '../../workflow/case-machine.js';
import {
  type AppealRecord,
  type Assessment,
  CASE_SOURCES,
  type CheckTrace,
  type Exclusion,
  EXCLUSIONS,
  type FactorEvidence,
  type Intent,
  INTENTS,
  type Motive,
  MOTIVES,
  type Nature,
  NATURES,
  type Outcome,
  OUTCOMES,
  type PolicyRef,
  type Recommendation,
  type ReviewRecord,
  type RuleTrace,
  SEVERITIES,
  type Severity,
  type ToleranceConditions,
  type TraceValue,
} from '../../workflow/case-types.js';
import { DEADLINE_KINDS, type DeadlineKind } from '../../workflow/deadline-plan.js';
import type { CaseView, CorrectiveActionView } from '../case-view.js';
import type { CorrectiveActionStatus } from '../corrective-action.entity.js';
import { APPEAL_DECISIONS } from './appeal-and-correction.dto.js';
import { REVIEW_DECISIONS } from './case-commands.dto.js';

/*
 * The OpenAPI schemas of the case view (case-view.ts). Each class `implements` the view type the service
 * returns, so a field changed there and not here fails to compile; the e2e test openapi-conformance checks
 * real answers against these schemas. Enums that recur are named schemas (`enumName`).
 */

export const CORRECTIVE_ACTION_STATUSES = ['open', 'reported', 'verified'] as const satisfies readonly CorrectiveActionStatus[];
const ISO = { format: 'date-time', example: '2026-01-05T09:00:00.000Z' } as const;
const NULLABLE_ISO = { ...ISO, type: String, nullable: true } as const;

@ApiSchema({ name: 'PolicyRef' })
export class PolicyRefResponse implements PolicyRef {
  @ApiProperty({ example: 'default' })
  id: string;

  @ApiProperty({ type: 'integer', example: 1 })
  version: number;
}

@ApiSchema({ name: 'ToleranceConditions' })
export class ToleranceConditionsResponse implements ToleranceConditions {
  @ApiProperty() policyCompliant: boolean;
  @ApiProperty() procedureFollowed: boolean;
  @ApiProperty() diligent: boolean;
  @ApiProperty() remedied: boolean;
}

@ApiSchema({ name: 'Assessment' })
export class AssessmentResponse implements Assessment {
  @ApiProperty({ enum: INTENTS, enumName: 'Intent' }) intent: Intent;
  @ApiProperty({ enum: MOTIVES, enumName: 'Motive' }) motive: Motive;
  @ApiProperty({ enum: NATURES, enumName: 'Nature' }) nature: Nature;
  @ApiProperty({ type: ToleranceConditionsResponse }) conditions: ToleranceConditions;
  @ApiProperty({ enum: SEVERITIES, enumName: 'Severity' }) severity: Severity;
  @ApiProperty({ enum: EXCLUSIONS, enumName: 'Exclusion', isArray: true }) exclusions: Exclusion[];
  @ApiProperty() findings: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string', format: 'uuid' } },
    description: 'evidence ids cited per decision factor (`intent`, `conditions.remedied`, …)',
  })
  evidence?: FactorEvidence;
}

const TRACE_VALUE: ApiPropertyOptions = {
  nullable: true,
  anyOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'boolean' }] } },
  ],
};

@ApiSchema({ name: 'CheckTrace' })
export class CheckTraceResponse implements CheckTrace {
  @ApiProperty({ example: 'intent' }) fact: string;
  @ApiProperty({ example: 'eq' }) op: string;
  @ApiProperty(TRACE_VALUE) expected: TraceValue;
  @ApiProperty(TRACE_VALUE) actual: TraceValue;
  @ApiProperty() result: boolean;
  @ApiPropertyOptional() note?: string;
}

@ApiSchema({ name: 'RuleTrace' })
export class RuleTraceResponse implements RuleTrace {
  @ApiProperty() rule: string;
  @ApiProperty() description: string;
  @ApiProperty() matched: boolean;
  @ApiProperty({ type: [CheckTraceResponse] }) checks: CheckTrace[];
}

@ApiSchema({ name: 'RepeatOf' })
export class RepeatOfResponse {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty(ISO) decidedAt: string;
}

@ApiSchema({ name: 'Recommendation' })
export class RecommendationResponse implements Recommendation {
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome' }) outcome: Outcome;
  @ApiProperty({ description: 'the rule that fired' }) rule: string;
  @ApiProperty({ type: [RuleTraceResponse], description: 'every rule evaluated, in order, up to the one that fired' }) trace: RuleTrace[];
  @ApiProperty({ type: PolicyRefResponse }) policy: PolicyRef;

  @ApiPropertyOptional({ type: RepeatOfResponse, nullable: true, description: 'the earlier tolerated case when this is a repeat error' })
  repeatOf?: RepeatOfResponse | null;
}

@ApiSchema({ name: 'ReviewRecord' })
export class ReviewRecordResponse implements ReviewRecord {
  @ApiProperty({ enum: REVIEW_DECISIONS, enumName: 'ReviewDecision' }) decision: ReviewRecord['decision'];
  @ApiProperty({ format: 'uuid' }) by: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty(ISO) at: string;
}

@ApiSchema({ name: 'AppealRecord' })
export class AppealRecordResponse implements AppealRecord {
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'uuid' }) by: string;
  @ApiProperty(ISO) at: string;
  @ApiProperty({ enum: APPEAL_DECISIONS, enumName: 'AppealDecision', nullable: true }) decision: AppealRecord['decision'];
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) decidedBy: string | null;
  @ApiProperty(NULLABLE_ISO) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) decisionReason: string | null;
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome', nullable: true }) originalOutcome: Outcome | null;
}

@ApiSchema({ name: 'CorrectiveAction' })
export class CorrectiveActionResponse implements CorrectiveActionView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: CORRECTIVE_ACTION_STATUSES, enumName: 'CorrectiveActionStatus' }) status: CorrectiveActionStatus;
  @ApiProperty(ISO) dueAt: string;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: String, nullable: true }) reportNote: string | null;
  @ApiProperty(NULLABLE_ISO) reportedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) verifyNote: string | null;
  @ApiProperty(NULLABLE_ISO) verifiedAt: string | null;
  @ApiProperty(ISO) createdAt: string;
}

@ApiSchema({ name: 'CaseStateVersion' })
export class CaseStateVersionResponse {
  @ApiProperty({ enum: CASE_STATES, enumName: 'CaseState' }) state: CaseState;
  @ApiProperty({ type: 'integer' }) version: number;
}

/** `POST …/corrective-actions/:actionId/report` and `…/verify`: the action and where the case now stands. */
@ApiSchema({ name: 'CorrectiveActionWithCase' })
export class CorrectiveActionWithCaseResponse extends CorrectiveActionResponse {
  @ApiProperty({ type: CaseStateVersionResponse }) case: CaseStateVersionResponse;
}

@ApiSchema({ name: 'CaseDeadline' })
export class CaseDeadlineResponse {
  @ApiProperty({ enum: DEADLINE_KINDS, enumName: 'DeadlineKind' }) kind: DeadlineKind;
  @ApiProperty(ISO) dueAt: string;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the corrective action of a `correction` deadline' })
  actionId: string | null;
}

@ApiSchema({ name: 'Recusal' })
export class RecusalResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() reason: string;
}

@ApiSchema({ name: 'CaseView' })
export class CaseViewResponse implements CaseView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: CASE_STATES, enumName: 'CaseState' }) state: CaseState;
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome', nullable: true, description: 'the outcome in force, once decided' })
  outcome: Outcome | null;
  @ApiProperty({ type: RecommendationResponse, nullable: true }) recommendation: Recommendation | null;
  @ApiProperty({ description: 'the reviewing leader chose another outcome than the recommendation' }) overridden: boolean;
  @ApiProperty({ format: 'uuid', description: 'the cadre the case is about' }) subjectId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ format: 'uuid' }) openedBy: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() category: string;
  @ApiProperty({ enum: CASE_SOURCES, enumName: 'CaseSource' }) source: string;
  @ApiProperty({ example: '2026-01-02T00:00:00.000Z' }) occurredAt: string;
  @ApiProperty({ type: PolicyRefResponse, description: 'the policy version the case is pinned to' }) policy: PolicyRef;
  @ApiProperty({ type: String, nullable: true, description: 'the cadre’s statement (陈述申辩)' }) explanation: string | null;
  @ApiProperty({ type: [String], description: 'evidence the explanation cites' }) explanationEvidenceIds: string[];
  @ApiProperty({ type: AssessmentResponse, nullable: true }) assessment: Assessment | null;
  @ApiProperty({ type: ReviewRecordResponse, nullable: true }) review: ReviewRecord | null;
  @ApiProperty(NULLABLE_ISO) decidedAt: string | null;
  @ApiProperty({ type: AppealRecordResponse, nullable: true }) appeal: AppealRecord | null;
  @ApiProperty(NULLABLE_ISO) appealDueAt: string | null;
  @ApiProperty({ type: [CorrectiveActionResponse] }) correctiveActions: CorrectiveActionView[];
  @ApiProperty({ type: [CaseDeadlineResponse], description: 'open deadlines' }) deadlines: CaseDeadlineResponse[];
  @ApiProperty({ type: [RecusalResponse], description: 'users recused from this cadre’s cases (回避)' }) recusals: RecusalResponse[];
  @ApiProperty({ description: 'a clearing of the cadre’s name (澄清正名) was recorded at withdrawal' }) nameCleared: boolean;
  @ApiProperty(NULLABLE_ISO) closedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'the case’s version, as its `ETag`' }) version: number;
  @ApiProperty({ enum: CASE_COMMANDS, enumName: 'CaseCommand', isArray: true, description: 'what the caller may do now' })
  allowedActions: CaseCommand[];
  @ApiProperty(ISO) createdAt: string;
  @ApiProperty(ISO) updatedAt: string;
  @ApiPropertyOptional({ ...ISO, description: 'only with `?asOf=`: the instant the case is shown as of' }) asOf?: string;
}

@ApiSchema({ name: 'CasePage' })
export class CasePageResponse {
  @ApiProperty({ type: [CaseViewResponse] }) items: CaseView[];
  @ApiProperty({ type: 'integer', description: 'cases matching the filters' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}
