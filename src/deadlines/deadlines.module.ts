import { Module } from '@nestjs/common';

import { Clock } from '../common/clock.js';
import { DeadlineBook } from './deadline-book.js';
import { HolidayCalendar } from './holiday-calendar.js';
import { HOLIDAY_CALENDAR_FILE, type HolidayCalendarFile } from './holiday-calendar-file.js';

/**
 * Deadlines: the official holiday calendar (the file CoreModule read at start-up; a missing or invalid file
 * stops it, naming HOLIDAY_CALENDAR) and the book
 * that opens and closes deadline rows with it. HolidayCalendar is exported for whatever reports on the service's
 * health. The sweeper stays with the cases module: it fires deadlines through the case command runner.
 */
@Module({
  providers: [
    {
      provide: HolidayCalendar,
      inject: [HOLIDAY_CALENDAR_FILE, Clock],
      useFactory: (file: HolidayCalendarFile, clock: Clock) => new HolidayCalendar(file, clock),
    },
    DeadlineBook,
  ],
  exports: [HolidayCalendar, DeadlineBook],
})
export class DeadlinesModule {}
