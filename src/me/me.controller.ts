import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { ApiErrors, ApiOk } from '../common/openapi-decorators.js';
import { uuidParam } from '../common/uuid-param.js';
import type { NotificationEntity } from '../notifications/notification.entity.js';
import { NotificationPageResponse, NotificationResponse, TaskPageResponse } from './dto/me.response.js';
import { NOTIFICATIONS_PAGE_SIZE, NotificationsQuery, TASKS_PAGE_SIZE, TasksQuery } from './me.dto.js';
import { MeService } from './me.service.js';

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

  @ApiOperation({ operationId: 'listMyTasks', summary: 'Your inbox: what you must do now, soonest first' })
  @ApiOk({ type: TaskPageResponse })
  @ApiErrors(400, 401, 403, 503)
  @Get('tasks')
  async tasks(@CurrentUser() user: AuthUser, @Query() query: TasksQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? TASKS_PAGE_SIZE;
    const found = await this.me.tasks(user, page, pageSize);
    return { items: found.items, at: this.clock.now().toISOString(), total: found.total, page, pageSize, counts: found.counts };
  }

  @ApiOperation({ operationId: 'listMyNotifications', summary: 'Your notifications, newest first' })
  @ApiOk({ type: NotificationPageResponse })
  @ApiErrors(400, 401, 403)
  @Get('notifications')
  async notifications(@CurrentUser() user: AuthUser, @Query() query: NotificationsQuery) {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? NOTIFICATIONS_PAGE_SIZE;
    const found = await this.me.notifications(user, query.unread === true, page, pageSize);
    return { items: found.items.map(toView), unread: found.unread, total: found.total, page, pageSize };
  }

  @ApiOperation({ operationId: 'markNotificationRead', summary: 'Mark one of your notifications read' })
  @ApiOk({ type: NotificationResponse })
  @ApiErrors(400, 401, 403, 404)
  @Post('notifications/:id/read')
  @HttpCode(200)
  async read(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return toView(await this.me.markRead(user, id));
  }
}
