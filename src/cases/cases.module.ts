import { Module } from '@nestjs/common';
import { CaseCommandsService } from './case-commands.service.js';
import { CaseQueriesService } from './case-queries.service.js';
import { CasesController } from './cases.controller.js';

@Module({
  controllers: [CasesController],
  providers: [CaseCommandsService, CaseQueriesService],
})
export class CasesModule {}
