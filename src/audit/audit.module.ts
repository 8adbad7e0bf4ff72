import { Module } from '@nestjs/common';

import { AuditTrailService } from './audit-trail.service.js';
import { CheckpointController } from './checkpoint.controller.js';
import { CheckpointService } from './checkpoint.service.js';

/**
 * The audit trail (AuditTrailService: append and read a case's hash chain, used by the cases and dossier modules)
 * and the routes that span cases (checkpoints). The per-case trail's routes belong to the cases module.
 */
@Module({
  controllers: [CheckpointController],
  providers: [AuditTrailService, CheckpointService],
  exports: [AuditTrailService, CheckpointService],
})
export class AuditModule {}
