import { Module } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DeadlineBook } from './deadline-book.js';
import { HolidayCalendar } from './holiday-calendar.js';
import { readHolidayCalendarFile } from './holiday-calendar-file.js';

/**
 * Deadlines: the official holiday calendar (read at start-up; a missing or invalid file stops it) and the book
 * that opens and closes deadline rows with it. HolidayCalendar is exported for whatever reports on the service's
 * health. The sweeper stays with the cases module: it fires deadlines through the case command runner.
 */
@Module({
  providers: [
    {
      provide: HolidayCalendar,
      inject: [AppConfig, Clock],
      useFactory: (config: AppConfig, clock: Clock) => new HolidayCalendar(readHolidayCalendarFile(config.HOLIDAY_CALENDAR), clock),
    },
    DeadlineBook,
  ],
  exports: [HolidayCalendar, DeadlineBook],
})
export class DeadlinesModule {}
