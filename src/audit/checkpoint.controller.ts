import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

import { Roles } from '../auth/auth-user.js';
import { IsInstant, toUtcIso } from '../common/instant.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { type Checkpoint, CheckpointService } from './checkpoint.service.js';
import { CheckpointResponse } from './dto/audit.response.js';

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

  @ApiOperation({ operationId: 'getCheckpoint', summary: 'Merkle root over every case’s chain head (now, or as of an instant)' })
  @ApiOk({ type: CheckpointResponse })
  @ApiErrors(400, 401, 403)
  @Get('checkpoint')
  @Roles('leader', 'admin')
  checkpoint(@Query() query: CheckpointQuery): Promise<Checkpoint> {
    return this.checkpoints.checkpoint(query.asOf === undefined ? undefined : toUtcIso(query.asOf));
  }
}
