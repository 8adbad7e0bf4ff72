import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module.js';
import { DossierController } from './dossier.controller.js';
import { DossierService } from './dossier.service.js';

@Module({
  imports: [AuditModule],
  controllers: [DossierController],
  providers: [DossierService],
})
export class DossierModule {}
