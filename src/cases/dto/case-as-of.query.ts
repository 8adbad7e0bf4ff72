import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

import { IsInstant } from '../../common/instant.js';

export class CaseAsOfQuery {
  @ApiPropertyOptional({
    description: 'ISO 8601 time: the case as it stood then, rebuilt by replaying its audit events',
    example: '2026-01-07T12:00:00Z',
  })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}
