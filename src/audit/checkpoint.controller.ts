import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant, toUtcIso } from '../common/instant.js';
import { Roles } from '../auth/auth-user.js';
import { type Checkpoint, CheckpointService } from './checkpoint.service.js';

export class CheckpointQuery {
  @ApiPropertyOptional({ description: 'recompute the checkpoint as of this earlier instant (the `at` of a stored checkpoint)' })
  @IsOptional()
  @IsInstant()
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
    return this.checkpoints.checkpoint(query.asOf === undefined ? undefined : toUtcIso(query.asOf));
  }
}
