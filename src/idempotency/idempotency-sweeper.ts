import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { PeriodicJob } from '../common/periodic-job.js';
import { Metrics } from '../operations/metrics.js';
import { IdempotencyStore } from './idempotency-store.js';

/** Keys are looked up only within their 24 hours anyway; the sweep keeps the table small. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

@Injectable()
export class IdempotencySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job = new PeriodicJob(
    new Logger('IdempotencySweeper'),
    'idempotency key sweep failed',
    async () => {
      await this.store.sweep();
    },
    (result) => this.metrics.sweeperRuns.inc({ job: 'idempotency', result }),
  );

  constructor(
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(SWEEP_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One sweep now (tests, with their clock). */
  runOnce(): Promise<void> {
    return this.job.runOnce();
  }
}
