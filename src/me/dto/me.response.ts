import { ApiProperty, ApiSchema } from '@nestjs/swagger';

import { CASE_COMMANDS, type CaseCommand } from '../../workflow/case-access.js';
import type { Task } from '../task-list.js';
import { TASK_ACTIONS, type TaskAction } from '../task-query.js';

/* The schemas of the caller's inbox; Task is the type the service returns. */

@ApiSchema({ name: 'Task' })
export class TaskResponse implements Task {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: CASE_COMMANDS, enumName: 'CaseCommand', description: 'the command to issue' }) action: CaseCommand;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the corrective action, for its report or verification' })
  actionId: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: string | null;
  @ApiProperty() overdue: boolean;
}

@ApiSchema({ name: 'TaskCounts' })
export class TaskCountsResponse implements Record<TaskAction, number> {
  @ApiProperty({ type: 'integer' }) explanation: number;
  @ApiProperty({ type: 'integer' }) assessment: number;
  @ApiProperty({ type: 'integer' }) review: number;
  @ApiProperty({ type: 'integer' }) 'appeal-review': number;
  @ApiProperty({ type: 'integer' }) 'corrective-actions': number;
  @ApiProperty({ type: 'integer' }) 'corrective-action-report': number;
  @ApiProperty({ type: 'integer' }) 'corrective-action-verify': number;
}
// Every task action has its count above: a new action fails to compile here until it is described.
TASK_ACTIONS satisfies readonly (keyof TaskCountsResponse)[];

@ApiSchema({ name: 'TaskPage' })
export class TaskPageResponse {
  @ApiProperty({ type: [TaskResponse], description: 'soonest first' }) items: Task[];
  @ApiProperty({ format: 'date-time', description: 'the instant `overdue` was judged at' }) at: string;
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
  @ApiProperty({ type: TaskCountsResponse, description: 'tasks per action, over all pages' }) counts: Record<TaskAction, number>;
}

@ApiSchema({ name: 'Notification' })
export class NotificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) caseId: string | null;
  @ApiProperty({ example: 'case.decided' }) kind: string;
  @ApiProperty() message: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: string | null;
  @ApiProperty() read: boolean;
}

@ApiSchema({ name: 'NotificationPage' })
export class NotificationPageResponse {
  @ApiProperty({ type: [NotificationResponse], description: 'newest first' }) items: NotificationResponse[];
  @ApiProperty({ type: 'integer', description: 'all the caller’s unread notifications' }) unread: number;
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}
