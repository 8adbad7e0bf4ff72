import { Module } from '@nestjs/common';

import { CaseExportService } from './case-export.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsService } from './reports.service.js';

@Module({
  controllers: [ReportsController],
  providers: [ReportsService, CaseExportService],
})
export class ReportsModule {}
