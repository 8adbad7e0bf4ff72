import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class CaseAsOfQuery {
  @ApiPropertyOptional({
    description: 'ISO 8601 time: the case as it stood then, rebuilt by replaying its audit events',
    example: '2026-01-07T12:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'asOf must be an ISO 8601 date-time, e.g. 2026-01-07T12:00:00Z' })
  asOf?: string;
}
