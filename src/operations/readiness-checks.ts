import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files.js';
import { UnitOfWork } from '../database/unit-of-work.js';
import { HolidayCalendar } from '../deadlines/holiday-calendar.js';
import { EvidenceStorage } from '../evidence/evidence-storage.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import { SchemaRepository } from '../repositories/schema.repository.js';

/** A check that takes longer than this counts as down: a probe must answer well within its own timeout. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * What GET /health/ready asks, each a terminus indicator: can the service do its work now? Each check does
 * the real thing, cheaply: a query through the same unit of work commands wait in (so a stuck queue shows),
 * a file written and removed in the evidence folder, the applied migrations read back.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EvidenceStorage) private readonly evidence: EvidenceStorage,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(HolidayCalendar) private readonly calendar: HolidayCalendar,
  ) {}

  all(): HealthIndicatorFunction[] {
    return [
      () => this.database(),
      () => this.evidenceFolder(),
      () => this.migrations(),
      () => this.policyFiles(),
      () => this.holidayCalendar(),
    ];
  }

  private database() {
    return this.indicators
      .check('database')
      .attempt(async () => {
        await this.uow.read((manager) => SchemaRepository.ping(manager));
        return { type: this.dataSource.options.type };
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  private evidenceFolder() {
    return this.indicators
      .check('evidenceFolder')
      .attempt(async () => {
        const root = this.evidence.root;
        await mkdir(root, { recursive: true, mode: PRIVATE_DIR_MODE });
        const probe = join(root, `.ready-${randomUUID()}`);
        try {
          await writeFile(probe, 'ready', { mode: PRIVATE_FILE_MODE, flush: true });
        } finally {
          await rm(probe, { force: true });
        }
        return { path: root };
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  /** Migrations run at start-up; pending ones mean another instance deployed newer code against this database. */
  private migrations() {
    return this.indicators
      .check('migrations')
      .attempt(async () => {
        const table = this.dataSource.options.migrationsTableName ?? 'migrations';
        const names = new Set(await this.uow.read((manager) => SchemaRepository.appliedMigrations(manager, table)));
        const known = this.dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
        const pending = known.filter((name) => !names.has(name));
        if (pending.length > 0) {
          throw new Error(`pending: ${pending.join(', ')}`);
        }
        const unknown = [...names].filter((name) => !known.includes(name));
        if (unknown.length > 0) {
          throw new Error(`applied by a newer version of the service: ${unknown.join(', ')}`);
        }
        return { applied: names.size };
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  private policyFiles() {
    const check = this.indicators.check('policies');
    const current = this.policies.current();
    if (!current) {
      return check.down({ message: `the default policy "${this.policies.defaultId}" is not loaded` });
    }
    return check.up({ loaded: this.policies.all().length, default: `${current.id}@${current.version}` });
  }

  /**
   * Down only when the calendar does not decide even today: deadlines set now are being counted without the
   * official days. Short of 12 months ahead is `degraded` (still ready, status 200): each State Council notice
   * covers one year and appears around November, so that is the case most of the year until the file is refreshed.
   */
  private holidayCalendar() {
    const check = this.indicators.check('holidayCalendar');
    const { coveredThrough, coversToday, ok, warning } = this.calendar.coverage();
    if (!coversToday) {
      return check.down({
        message: `covers days through ${coveredThrough} only, not today: refresh HOLIDAY_CALENDAR (npm run calendar:refresh)`,
      });
    }
    return ok ? check.up({ coveredThrough }) : check.degraded({ coveredThrough, warning });
  }
}
