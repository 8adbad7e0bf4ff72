import { Module } from '@nestjs/common';
import { CheckpointController } from './checkpoint.controller.js';
import { CheckpointService } from './checkpoint.service.js';

/** Audit routes that span cases. The per-case trail is read through the cases module. */
@Module({
  controllers: [CheckpointController],
  providers: [CheckpointService],
  exports: [CheckpointService],
})
export class AuditModule {}
