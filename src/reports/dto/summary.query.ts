import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

import { IsInstant } from '../../common/instant.js';

/** The period is on the opening time: cases opened in [from, to). */
export class SummaryQuery {
  @ApiPropertyOptional({ description: 'cases opened at or after this instant (a date means 00:00 UTC)', example: '2026-01-01' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ description: 'cases opened before this instant (exclusive)', example: '2026-04-01' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'this unit and its sub-units; must be your unit or below it (403 otherwise)' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}
