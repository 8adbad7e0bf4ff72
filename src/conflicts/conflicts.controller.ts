import { Body, Controller, Get, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { OffsetQuery, offsetPage } from '../common/paging.js';
import type { ConflictEntity } from './conflict.entity.js';
import { DeclareConflictDto } from './conflicts.dto.js';
import { ConflictsService } from './conflicts.service.js';

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

  @Post()
  async declare(@CurrentUser() user: AuthUser, @Body() body: DeclareConflictDto) {
    return toView(await this.conflicts.declare(user, body));
  }

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: OffsetQuery, @Res({ passthrough: true }) reply: FastifyReply) {
    return (await offsetPage(reply, '/conflicts', query, (skip, take) => this.conflicts.list(user, skip, take))).map(toView);
  }
}
