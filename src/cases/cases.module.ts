import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module.js';
import { DeadlineSweeper } from '../deadlines/deadline-sweeper.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { CaseCommandRunner } from './case-command-runner.js';
import { CaseFollowUpController } from './case-followup.controller.js';
import { CaseHistoryService } from './case-history.service.js';
import { CaseQueriesService } from './case-queries.service.js';
import { CasesController } from './cases.controller.js';

@Module({
  imports: [AuditModule, DeadlinesModule, NotificationsModule],
  controllers: [CasesController, CaseFollowUpController],
  providers: [CaseCommandRunner, CaseQueriesService, CaseHistoryService, DeadlineSweeper],
  exports: [CaseQueriesService, CaseCommandRunner],
})
export class CasesModule {}
