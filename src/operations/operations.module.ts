import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AuthModule } from '../auth/auth.module.js';
import { DeadlinesModule } from '../deadlines/deadlines.module.js';
import { EvidenceModule } from '../evidence/evidence.module.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { ReadinessController } from './readiness.controller.js';
import { ReadinessChecks } from './readiness-checks.js';
import { StoredDataMetrics } from './stored-data-metrics.js';

/**
 * What the people who run the service look at: readiness (GET /health/ready) and Prometheus metrics
 * (GET /metrics). The metrics themselves live in CoreModule, where the unit of work and the commands record them.
 */
@Module({
  // Terminus' own logger would log every failed probe as an error; the request log already has each 503.
  imports: [TerminusModule.forRoot({ logger: false }), AuthModule, EvidenceModule, DeadlinesModule],
  controllers: [ReadinessController, MetricsController],
  providers: [ReadinessChecks, MetricsAccessGuard, StoredDataMetrics],
})
export class OperationsModule {}
