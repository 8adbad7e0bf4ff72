import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { type Outcome, OUTCOMES } from '../../workflow/case-types.js';

export class AppealDto {
  @ApiProperty({ description: 'why the cadre appeals (申诉)', maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  reason: string;
}

export const APPEAL_DECISIONS = ['uphold', 'revise'] as const;

export class AppealReviewDto {
  @ApiProperty({ enum: APPEAL_DECISIONS, enumName: 'AppealDecision' })
  @IsIn(APPEAL_DECISIONS)
  decision: (typeof APPEAL_DECISIONS)[number];

  @ApiPropertyOptional({ enum: OUTCOMES, enumName: 'Outcome', description: 'revise only: the new final outcome' })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: Outcome;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  reason: string;
}

export class CreateCorrectiveActionDto {
  @ApiProperty({ example: 'Submit a rectification plan for the pilot budget', maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description: string;

  @ApiPropertyOptional({ description: 'ISO 8601; default: now + the policy’s `correction` duration' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;
}

export class ReportCorrectiveActionDto {
  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  note: string;
}

export class VerifyCorrectiveActionDto {
  @ApiProperty({ description: 'true: verified; false: back to open' })
  @IsBoolean()
  accepted: boolean;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  note: string;
}
