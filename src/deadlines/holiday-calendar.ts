import { Logger, type OnApplicationBootstrap } from '@nestjs/common';

import { Clock } from '../common/clock.js';
import { addDuration, type Calendar, type DayLists, withLocalDays } from '../workflow/deadline-calendar.js';
import type { DeadlineKind } from '../workflow/deadline-plan.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import { type CalendarCoverage, calendarCoverage, type HolidayCalendarFile, officialDays } from './holiday-calendar-file.js';

/**
 * The official holiday calendar, read once at start-up (deadlines.module.ts), and the due dates it gives each
 * policy's periods. Warns at start-up — and `coverage` says, for /health and a readiness check — when the file
 * does not reach 12 months ahead: deadlines past its end would be counted without holidays.
 */
export class HolidayCalendar implements OnApplicationBootstrap {
  private readonly logger = new Logger('HolidayCalendar');
  private readonly official: DayLists;
  /** One calendar per policy's deadlines (policies are loaded once), so deadline-calendar.ts's caches stay warm. */
  private readonly byPolicy = new WeakMap<Policy['deadlines'], Calendar>();

  constructor(
    readonly file: HolidayCalendarFile,
    private readonly clock: Clock,
  ) {
    this.official = officialDays(file);
  }

  onApplicationBootstrap(): void {
    const { warning } = this.coverage();
    if (warning) {
      this.logger.warn(warning);
    }
  }

  /** Whether the calendar covers the next 12 months from `now`. */
  coverage(now: Date = this.clock.now()): CalendarCoverage {
    return calendarCoverage(this.file.coveredThrough, now);
  }

  /** The days `policy` counts with: the official ones under the policy's local holidays and make-up working days. */
  calendarOf(policy: Policy): Calendar {
    const deadlines = policy.deadlines;
    let calendar = this.byPolicy.get(deadlines);
    if (!calendar) {
      calendar = { workingDays: deadlines.workingDays, ...withLocalDays(this.official, deadlines) };
      this.byPolicy.set(deadlines, calendar);
    }
    return calendar;
  }

  /** When a time limit of `kind` that starts at `from` ends, under `policy` (a case's pinned one). */
  dueAt(policy: Policy, kind: DeadlineKind, from: Date): Date {
    return addDuration(from, policy.deadlines[kind], this.calendarOf(policy));
  }
}
