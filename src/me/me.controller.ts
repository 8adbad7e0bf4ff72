import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { uuidParam } from '../common/uuid-param.js';
import type { NotificationEntity } from '../notifications/notification.entity.js';
import { MeService } from './me.service.js';

export class NotificationsQuery {
  @ApiPropertyOptional({ description: 'only unread notifications' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : (value as unknown)))
  @IsBoolean()
  unread?: boolean;
}

const toView = ({ id, caseId, kind, message, createdAt, readAt }: NotificationEntity) => ({
  id,
  caseId,
  kind,
  message,
  createdAt,
  readAt,
  read: readAt !== null,
});

/** The caller's own inbox: what waits on them, and what happened on their cases. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    @Inject(MeService) private readonly me: MeService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get('tasks')
  async tasks(@CurrentUser() user: AuthUser) {
    return { items: await this.me.tasks(user), at: this.clock.now().toISOString() };
  }

  @Get('notifications')
  async notifications(@CurrentUser() user: AuthUser, @Query() query: NotificationsQuery) {
    const items = await this.me.notifications(user, query.unread === true);
    return { items: items.map(toView), unread: items.filter((n) => n.readAt === null).length };
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  async read(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return toView(await this.me.markRead(user, id));
  }
}
