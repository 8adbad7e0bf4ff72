import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';

import { Clock } from './common/clock.js';
import { AppConfig } from './config/app-config.js';
import { databaseOptions } from './database/data-source-options.js';
import { openDatabase } from './database/open-database.js';
import { ReadPool } from './database/read-pool.js';
import { UnitOfWork } from './database/unit-of-work.js';
import { WalCheckpointer } from './database/wal-checkpointer.js';
import { HOLIDAY_CALENDAR_FILE, readHolidayCalendarFile } from './deadlines/holiday-calendar-file.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { IdempotencyStore } from './idempotency/idempotency-store.js';
import { IdempotencySweeper } from './idempotency/idempotency-sweeper.js';
import { Metrics } from './operations/metrics.js';
import { PinnedPolicyCheck } from './policies/pinned-policy-check.js';
import { PolicyRegistry } from './policies/policy-registry.js';

export interface CoreOptions {
  config: AppConfig;
  clock: Clock;
}

/**
 * Things every feature needs exactly one of: configuration, the clock, the database and its unit of
 * work, the loaded policies, the holiday calendar file, the metrics.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot({ config, clock }: CoreOptions): DynamicModule {
    const policies = PolicyRegistry.fromDirectory(config.POLICY_DIR, config.DEFAULT_POLICY);
    // Read here, before Nest builds anything, like the policies: an error thrown while Nest instantiates
    // providers ends the process instead of rejecting createApp with the message.
    const holidayCalendar = readHolidayCalendarFile(config.HOLIDAY_CALENDAR);
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => databaseOptions(config),
          // Migrations, never synchronize: applied (under a start-up lock on PostgreSQL) when the data
          // source opens, before anything is served.
          dataSourceFactory: (options) => openDatabase(options!),
        }),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: PolicyRegistry, useValue: policies },
        { provide: Metrics, useValue: new Metrics() },
        { provide: HOLIDAY_CALENDAR_FILE, useValue: holidayCalendar },
        UnitOfWork,
        ReadPool,
        WalCheckpointer,
        PinnedPolicyCheck,
        IdempotencyStore,
        IdempotencySweeper,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [AppConfig, Clock, PolicyRegistry, Metrics, UnitOfWork, ReadPool, HOLIDAY_CALENDAR_FILE, IdempotencyStore],
    };
  }
}
