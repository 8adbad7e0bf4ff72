import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions, ApiSchema } from '@nestjs/swagger';

import type { VerifyResult } from '../../audit/hash-chain.js';
import { JSON_VALUE } from '../../common/openapi-decorators.js';
import { type RefusalKind, REFUSALS } from '../../common/refusal.js';
import { type ActionExplanation, CASE_COMMANDS, type CaseCommand } from '../../workflow/case-access.js';
import { CASE_STATES, type CaseState } from '../../workflow/case-machine.js';
import { type Outcome, OUTCOMES, type Recommendation } from '../../workflow/case-types.js';
import type { Counterfactual, CounterfactualValue } from '../../workflow/policy/counterfactuals.js';
import type { FullVerifyResult, ReplayCheck } from '../case-history.service.js';
import type { DecisionFactorView, DecisionView, FinalDecisionView } from '../decision-view.js';
import { RecommendationResponse } from './case-view.response.js';

/* The schemas of the case's other reads: the explained decision, allowed actions, access log, verification. */

const FACTOR_VALUE: ApiPropertyOptions = {
  anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }],
};

@ApiSchema({ name: 'DecisionFactor' })
export class DecisionFactorResponse implements DecisionFactorView {
  @ApiProperty({ example: 'conditions.remedied', description: 'a policy fact' }) name: string;
  @ApiProperty({ ...FACTOR_VALUE, description: 'what the assessment recorded' }) value: string | boolean | string[];
  @ApiProperty({ type: [String], description: 'evidence cited for this factor' }) evidenceIds: string[];
  @ApiProperty({ type: [String], description: 'the trace’s rules that read it' }) readBy: string[];
  @ApiPropertyOptional() note?: string;
}

@ApiSchema({ name: 'FinalDecision' })
export class FinalDecisionResponse implements FinalDecisionView {
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome' }) outcome: Outcome;
  @ApiProperty({ format: 'uuid', description: 'the leader who decided' }) by: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: ['review', 'appeal'], enumName: 'DecisionSource' }) source: 'review' | 'appeal';
}

@ApiSchema({ name: 'Counterfactual' })
export class CounterfactualResponse implements Counterfactual {
  @ApiProperty({
    type: 'object',
    additionalProperties: { anyOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
    description: 'the one factor changed and its value in this alternative',
  })
  change: Record<string, CounterfactualValue>;
  @ApiProperty({ enum: OUTCOMES, enumName: 'Outcome' }) outcome: Outcome;
  @ApiProperty() rule: string;
  @ApiProperty() changesOutcome: boolean;
}

@ApiSchema({ name: 'DecisionView' })
export class DecisionViewResponse implements DecisionView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ enum: CASE_STATES, enumName: 'CaseState' }) state: CaseState;
  @ApiProperty({ type: RecommendationResponse }) recommendation: Recommendation;
  @ApiProperty({ type: FinalDecisionResponse, nullable: true }) final: FinalDecisionView | null;
  @ApiProperty() overridden: boolean;
  @ApiProperty() revisedOnAppeal: boolean;
  @ApiProperty({ type: [DecisionFactorResponse] }) factors: DecisionFactorView[];
  @ApiProperty({ type: [CounterfactualResponse], description: 'the outcome had any one input been different (假设分析)' })
  counterfactuals: Counterfactual[];
}

@ApiSchema({ name: 'AllowedAction' })
export class AllowedActionResponse implements ActionExplanation {
  @ApiProperty({ enum: CASE_COMMANDS, enumName: 'CaseCommand' }) action: CaseCommand;
  @ApiProperty() allowed: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'you assessed this case' }) reason: string | null;
  @ApiPropertyOptional({
    enum: REFUSALS,
    enumName: 'Refusal',
    nullable: true,
    description: 'only with `include=refusal`: which kind of refusal `reason` is (docs/api.md, "Refusals"); null when allowed',
  })
  refusal?: RefusalKind | null;
}

@ApiSchema({ name: 'AccessLogEntry' })
export class AccessLogEntryResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() action: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

@ApiSchema({ name: 'ReplayCheck' })
export class ReplayCheckResponse implements ReplayCheck {
  @ApiProperty() matches: boolean;
  @ApiProperty({ type: 'integer', nullable: true }) divergedAtSeq: number | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true }) field: string | null;
  @ApiProperty(JSON_VALUE) expected: unknown;
  @ApiProperty(JSON_VALUE) actual: unknown;
}

@ApiSchema({ name: 'VerifyResult' })
export class VerifyResultResponse implements FullVerifyResult, VerifyResult {
  @ApiProperty({ description: 'the hash chain is intact' }) valid: boolean;
  @ApiProperty({ type: 'integer' }) length: number;
  @ApiProperty({ type: 'integer', nullable: true }) firstInvalidSeq: number | null;
  @ApiProperty({ type: ReplayCheckResponse }) replay: ReplayCheck;
}
