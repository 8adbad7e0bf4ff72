import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
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
  async list(@CurrentUser() user: AuthUser) {
    return (await this.conflicts.list(user)).map(toView);
  }
}
