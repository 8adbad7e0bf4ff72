import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import { CaseCommandRunner } from '../cases/case-command-runner.js';
import { Clock } from '../common/clock.js';
import { DomainError } from '../common/domain-error.js';
import { PeriodicJob } from '../common/periodic-job.js';
import { AppConfig } from '../config/app-config.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { Metrics } from '../operations/metrics.js';
import { CasesRepository } from '../repositories/cases.repository.js';
import { DeadlinesRepository } from '../repositories/deadlines.repository.js';
import { decideFiring } from '../workflow/commands/deadline-firings.js';
import type { DeadlineEntity } from './deadline.entity.js';

/** How many due deadlines one sweep takes on; the rest wait for the next sweep. */
const SWEEP_BATCH = 500;

/**
 * Fires due deadlines through the same command path users take, as actor `system`. Each firing first
 * claims its row (open → fired) in the same unit of work as the transition, so a deadline fires exactly
 * once — across instances too (see `claim`) — and a crash before the commit leaves it open to fire on
 * the next sweep. The first sweep runs at
 * start-up, which is what fires deadlines that came due while the service was stopped.
 */
@Injectable()
export class DeadlineSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeadlineSweeper');
  private readonly job = new PeriodicJob(
    this.logger,
    'deadline sweep failed',
    async () => {
      await this.sweep();
    },
    (result) => this.metrics.sweeperRuns.inc({ job: 'deadlines', result }),
  );

  constructor(
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(CaseCommandRunner) private readonly runner: CaseCommandRunner,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.job.runOnce();
    this.job.start(this.config.SWEEP_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Fires every deadline that has passed (one is met up to and including its due instant, as isOverdue says); returns how many fired. */
  async sweep(): Promise<number> {
    const now = this.clock.now().toISOString();
    const due = await this.uow.run((manager) => DeadlinesRepository.dueIds(manager, now, SWEEP_BATCH));
    let fired = 0;
    for (const id of due) {
      if (await this.fire(id)) {
        fired++;
      }
    }
    return fired;
  }

  private async fire(deadlineId: string): Promise<boolean> {
    try {
      return await this.uow.run(async (manager) => {
        const deadline = await claim(manager, deadlineId, this.clock.now().toISOString());
        if (!deadline) {
          return false; // closed by a command, or fired by another instance, since the sweep read it
        }
        const row = await CasesRepository.find(manager, deadline.caseId, { forUpdate: true });
        if (!row) {
          return false;
        }
        await this.runner.runAsSystem(manager, row, (context) => decideFiring(deadline, context));
        return true;
      });
    } catch (error) {
      if (!(error instanceof DomainError)) {
        throw error;
      }
      // The machine refused the firing (the case moved on without closing it): retire the row so it
      // does not fire again and again.
      this.logger.warn({ deadlineId, reason: error.message }, 'deadline no longer applies; closed without effect');
      await this.uow.run(async (manager) => {
        const caseId = await lockCaseOf(manager, deadlineId);
        if (caseId) {
          await DeadlinesRepository.retire(manager, deadlineId, this.clock.now().toISOString());
          await CasesRepository.refreshNextDue(manager, caseId);
        }
      });
      return false;
    }
  }
}

/**
 * Takes an open deadline for this unit of work: open → fired, or null when it is no longer open.
 *
 * On PostgreSQL several instances sweep the same table. The case row is locked first — the order every
 * command takes (case, then its deadlines), so the sweeper and a command can never wait on each other in
 * a cycle — and the deadline is then taken with FOR UPDATE SKIP LOCKED: a row another instance is firing
 * is passed over, never waited for, and once that instance commits the row is no longer open. Each
 * deadline therefore fires exactly once across instances; a crash before the commit leaves it open.
 */
async function claim(manager: EntityManager, deadlineId: string, at: string): Promise<DeadlineEntity | null> {
  if (!(await lockCaseOf(manager, deadlineId))) {
    return null;
  }
  if (!(await DeadlinesRepository.lockIfOpen(manager, deadlineId))) {
    return null;
  }
  return DeadlinesRepository.markFired(manager, deadlineId, at);
}

/**
 * The case a deadline belongs to, or null when the deadline is gone. On PostgreSQL the case row is locked
 * before the deadline row is touched (see `claim`); SQLite runs one unit of work at a time anyway.
 */
async function lockCaseOf(manager: EntityManager, deadlineId: string): Promise<string | null> {
  const caseId = await DeadlinesRepository.caseOf(manager, deadlineId);
  if (caseId) {
    await CasesRepository.lock(manager, caseId);
  }
  return caseId;
}
