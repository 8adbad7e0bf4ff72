import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

import {
  DECISION_FACTORS,
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
  SEVERITIES,
  type Severity,
} from '../../workflow/case-types.js';

export class ExplanationDto {
  @ApiProperty({ description: 'the cadre’s statement (陈述申辩)', maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  statement: string;

  @ApiPropertyOptional({ description: 'ids of this case’s evidence the statement relies on', type: [String], format: 'uuid', maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  evidenceIds?: string[];
}

/** Citations per decision factor; built from DECISION_FACTORS so the two lists can never drift apart. */
export class FactorEvidenceDto {}
for (const factor of DECISION_FACTORS) {
  const decorators: PropertyDecorator[] = [
    ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 50, description: `evidence ids for ${factor}` }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  ];
  decorators.forEach((decorate) => decorate(FactorEvidenceDto.prototype, factor));
}

export class ConditionsDto {
  @ApiProperty({ description: 'consistent with policy direction and higher-level decisions' })
  @IsBoolean()
  policyCompliant: boolean;

  @ApiProperty({ description: 'collective/democratic decision, or emergency action reported promptly' })
  @IsBoolean()
  procedureFollowed: boolean;

  @ApiProperty({ description: 'duty diligently performed' })
  @IsBoolean()
  diligent: boolean;

  @ApiProperty({ description: 'loss actively recovered / harm limited' })
  @IsBoolean()
  remedied: boolean;
}

export class AssessmentDto {
  @ApiProperty({ enum: INTENTS, enumName: 'Intent' })
  @IsIn(INTENTS)
  intent: Intent;

  @ApiProperty({ enum: MOTIVES, enumName: 'Motive' })
  @IsIn(MOTIVES)
  motive: Motive;

  @ApiProperty({ enum: NATURES, enumName: 'Nature' })
  @IsIn(NATURES)
  nature: Nature;

  @ApiProperty({ type: ConditionsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConditionsDto)
  conditions: ConditionsDto;

  @ApiProperty({ enum: SEVERITIES, enumName: 'Severity' })
  @IsIn(SEVERITIES)
  severity: Severity;

  @ApiPropertyOptional({ enum: EXCLUSIONS, enumName: 'Exclusion', isArray: true, description: 'negative-list items (负面清单) found' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(EXCLUSIONS, { each: true })
  exclusions?: Exclusion[];

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  findings: string;

  @ApiPropertyOptional({
    type: FactorEvidenceDto,
    description: 'evidence ids cited per decision factor, e.g. {"intent": [id], "conditions.remedied": [id]}',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FactorEvidenceDto)
  evidence?: FactorEvidence;
}

export const REVIEW_DECISIONS = ['approve', 'return', 'override'] as const;

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_DECISIONS, enumName: 'ReviewDecision' })
  @IsIn(REVIEW_DECISIONS)
  decision: (typeof REVIEW_DECISIONS)[number];

  @ApiPropertyOptional({ enum: OUTCOMES, enumName: 'Outcome', description: 'override only' })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;

  @ApiPropertyOptional({ description: 'required for return and override', maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  reason?: string;
}

export class WithdrawDto {
  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  reason: string;

  @ApiPropertyOptional({ description: 'record a clearing of the cadre’s name (澄清正名) in their record' })
  @IsOptional()
  @IsBoolean()
  clearName?: boolean;
}
