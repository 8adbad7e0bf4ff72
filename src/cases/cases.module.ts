import { Module } from '@nestjs/common';
import { DeadlineSweeper } from '../deadlines/deadline-sweeper.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { Notifier } from '../notifications/notifier.js';
import { AppealCommandsService } from './appeal-commands.service.js';
import { CaseCommandRunner } from './case-command-runner.js';
import { CaseCommandsService } from './case-commands.service.js';
import { CaseFollowUpController } from './case-followup.controller.js';
import { CaseHistoryService } from './case-history.service.js';
import { CaseQueriesService } from './case-queries.service.js';
import { CasesController } from './cases.controller.js';
import { CorrectionCommandsService } from './correction-commands.service.js';

@Module({
  imports: [DeadlinesModule],
  controllers: [CasesController, CaseFollowUpController],
  providers: [
    CaseCommandRunner,
    CaseCommandsService,
    AppealCommandsService,
    CorrectionCommandsService,
    CaseQueriesService,
    CaseHistoryService,
    DeadlineSweeper,
    Notifier,
  ],
  exports: [CaseQueriesService, CaseCommandRunner, Notifier],
})
export class CasesModule {}
