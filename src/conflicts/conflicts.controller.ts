import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { ApiErrors, ApiOk, NEXT_CURSOR_HEADERS } from '../common/openapi-decorators.js';
import { offsetPage, OffsetQuery } from '../common/paging.js';
import { Idempotent } from '../idempotency/idempotent.decorator.js';
import type { ConflictEntity } from './conflict.entity.js';
import { DeclareConflictDto } from './conflicts.dto.js';
import { ConflictsService } from './conflicts.service.js';
import { ConflictResponse } from './dto/conflict.response.js';

const toView = ({ id, userId, subjectId, reason, recordedBy, createdAt }: ConflictEntity) => ({
  id,
  userId,
  subjectId,
  reason,
  recordedBy,
  createdAt,
});

@ApiTags('recusal')
@ApiBearerAuth()
@Controller('conflicts')
export class ConflictsController {
  constructor(@Inject(ConflictsService) private readonly conflicts: ConflictsService) {}

  @ApiOperation({
    operationId: 'declareConflict',
    summary: 'Declare a conflict of interest (回避): the user stays out of the cadre’s cases',
  })
  @ApiResponse({ status: 201, type: ConflictResponse })
  @ApiErrors(400, 401, 403, 409, 413, 422)
  @Post()
  @Idempotent()
  async declare(@CurrentUser() user: AuthUser, @Body() body: DeclareConflictDto) {
    return toView(await this.conflicts.declare(user, body));
  }

  @ApiOperation({ operationId: 'listConflicts', summary: 'The conflicts that keep you off cases (all, for an admin), newest first' })
  @ApiOk({ type: [ConflictResponse], headers: NEXT_CURSOR_HEADERS })
  @ApiErrors(400, 401, 403)
  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: OffsetQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return (await offsetPage(reply, '/conflicts', query, (skip, take) => this.conflicts.list(user, skip, take))).map(toView);
  }
}
