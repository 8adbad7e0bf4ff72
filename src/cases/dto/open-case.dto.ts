import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

import { CASE_SOURCES, type CaseSource } from '../../workflow/case-types.js';

export class OpenCaseDto {
  @ApiProperty({ format: 'uuid', description: 'the cadre the case is about (问责对象)' })
  @IsUUID()
  subjectId: string;

  @ApiProperty({ maxLength: 300 })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({ maxLength: 20000 })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  description: string;

  @ApiProperty({ example: '2026-03-15', description: 'ISO 8601 date (or date-time) of the conduct' })
  @IsISO8601({ strict: true })
  occurredAt: string;

  @ApiProperty({ example: 'project-approval', description: 'category of error; repeat errors are judged per category' })
  @IsString()
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u, {
    message: 'category must be 1-100 letters, digits, spaces, dots, dashes or underscores',
  })
  category: string;

  @ApiPropertyOptional({ enum: CASE_SOURCES, enumName: 'CaseSource', default: 'report' })
  @IsOptional()
  @IsIn(CASE_SOURCES)
  source?: CaseSource;

  @ApiPropertyOptional({
    example: 'pilot-zone',
    description: 'id of the jurisdiction policy to apply (因地制宜); its highest loaded version is pinned. Default: DEFAULT_POLICY',
    maxLength: 64,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  policyId?: string;
}
