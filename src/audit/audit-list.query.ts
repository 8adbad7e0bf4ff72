import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** A case's audit trail is read this many events at a time unless asked for fewer (issue 16). */
export const AUDIT_LIMIT = 500;
export const AUDIT_LIMIT_MAX = 1000;

export class AuditListQuery {
  @ApiPropertyOptional({ minimum: 0, description: 'events after this seq (the previous page’s X-Next-Cursor)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  afterSeq?: number;

  @ApiPropertyOptional({ default: AUDIT_LIMIT, minimum: 1, maximum: AUDIT_LIMIT_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_LIMIT_MAX)
  limit?: number;
}
