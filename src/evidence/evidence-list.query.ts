import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** A case's evidence list is read this many files at a time unless asked for fewer (issue 16). */
export const EVIDENCE_LIMIT = 100;
export const EVIDENCE_LIMIT_MAX = 500;

export class EvidenceListQuery {
  @ApiPropertyOptional({ minimum: 0, description: 'files after this cursor (the previous page’s X-Next-Cursor: a caseVersion)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ default: EVIDENCE_LIMIT, minimum: 1, maximum: EVIDENCE_LIMIT_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(EVIDENCE_LIMIT_MAX)
  limit?: number;
}
