import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

import { OptionalIntParam, PAGE_MAX } from '../common/paging.js';

export const TASKS_PAGE_SIZE = 50;
export const TASKS_PAGE_SIZE_MAX = 200;
/** The page size notifications had before they were paged (`take: 200`): callers see no change. */
export const NOTIFICATIONS_PAGE_SIZE = 200;
export const NOTIFICATIONS_PAGE_SIZE_MAX = 200;

export class TasksQuery {
  @OptionalIntParam({ default: 1, minimum: 1, maximum: PAGE_MAX })
  page?: number;

  @OptionalIntParam({ default: TASKS_PAGE_SIZE, minimum: 1, maximum: TASKS_PAGE_SIZE_MAX })
  pageSize?: number;
}

export class NotificationsQuery {
  @ApiPropertyOptional({ description: 'only unread notifications' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : (value as unknown)))
  @IsBoolean()
  unread?: boolean;

  @OptionalIntParam({ default: 1, minimum: 1, maximum: PAGE_MAX })
  page?: number;

  @OptionalIntParam({ default: NOTIFICATIONS_PAGE_SIZE, minimum: 1, maximum: NOTIFICATIONS_PAGE_SIZE_MAX })
  pageSize?: number;
}
