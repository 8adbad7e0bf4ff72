import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { Roles } from '../auth/auth-user.js';
import { type Checkpoint, CheckpointService } from './checkpoint.service.js';

export class CheckpointQuery {
  @ApiPropertyOptional({ description: 'recompute the checkpoint as of this earlier instant (the `at` of a stored checkpoint)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'asOf must be an ISO 8601 date-time, e.g. 2026-01-07T12:00:00Z' })
  asOf?: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class CheckpointController {
  constructor(@Inject(CheckpointService) private readonly checkpoints: CheckpointService) {}

  @Get('checkpoint')
  @Roles('leader', 'admin')
  checkpoint(@Query() query: CheckpointQuery): Promise<Checkpoint> {
    return this.checkpoints.checkpoint(query.asOf === undefined ? undefined : new Date(query.asOf).toISOString());
  }
}
