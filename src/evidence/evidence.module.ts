import { Module } from '@nestjs/common';

import { CasesModule } from '../cases/cases.module.js';
import { EvidenceController } from './evidence.controller.js';
import { EvidenceService } from './evidence.service.js';
import { EvidenceQuota } from './evidence-quota.js';
import { EvidenceStorage } from './evidence-storage.js';
import { EvidenceSweeper } from './evidence-sweeper.js';

@Module({
  imports: [CasesModule],
  controllers: [EvidenceController],
  providers: [EvidenceService, EvidenceStorage, EvidenceQuota, EvidenceSweeper],
  exports: [EvidenceStorage],
})
export class EvidenceModule {}
