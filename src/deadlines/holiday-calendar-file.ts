import { readFileSync } from 'node:fs';

import { DateTime } from 'luxon';
import { z } from 'zod';

import { ConfigError } from '../config/app-config.js';
import { type DayLists, DEFAULT_ZONE } from '../workflow/deadline-calendar.js';

/**
 * The official calendar file (HOLIDAY_CALENDAR, default config/calendar/cn-official.json): the public holidays and
 * make-up working days (调休上班) of the State Council General Office's yearly notices, written by
 * `npm run calendar:refresh` (scripts/refresh-holiday-calendar.ts). Dates map to the occasion's name, for the
 * people who read the file; only the dates count.
 */
const validDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid;
const isoDate = z.string().refine(validDate, { error: (iss) => `invalid date ${JSON.stringify(iss.input)} (expected YYYY-MM-DD)` });
/** date → name; the dates are checked in superRefine, where the message can name the bad one */
const datedNames = z.record(z.string(), z.string());

export const holidayCalendarFileSchema = z
  .strictObject({
    description: z.string().optional(),
    /** where the dates come from: the notices, and the package that compiled them */
    source: z.string().min(1),
    package: z.strictObject({ name: z.string().min(1), version: z.string().min(1), url: z.string().optional() }).optional(),
    generatedBy: z.string().optional(),
    /** the IANA zone the dates are local days of */
    zone: z.literal(DEFAULT_ZONE),
    /** the last day the notices in the file decide: later days fall back to Monday–Friday */
    coveredThrough: isoDate,
    holidays: datedNames,
    workdays: datedNames,
  })
  .superRefine((file, ctx) => {
    for (const list of ['holidays', 'workdays'] as const) {
      for (const day of Object.keys(file[list]).filter((d) => !validDate(d))) {
        ctx.addIssue({ code: 'custom', path: [list, day], message: `invalid date ${JSON.stringify(day)} (expected YYYY-MM-DD)` });
      }
    }
    for (const day of Object.keys(file.workdays)) {
      if (day in file.holidays) {
        ctx.addIssue({ code: 'custom', path: ['workdays', day], message: `${day} is also a holiday` });
      }
    }
    for (const list of ['holidays', 'workdays'] as const) {
      const late = Object.keys(file[list]).find((day) => day > file.coveredThrough);
      if (late) {
        ctx.addIssue({ code: 'custom', path: [list, late], message: `${late} is after coveredThrough ${file.coveredThrough}` });
      }
    }
  });

export type HolidayCalendarFile = z.infer<typeof holidayCalendarFileSchema>;

/** Injection token of the file's contents, read by CoreModule before the application is built. */
export const HOLIDAY_CALENDAR_FILE = Symbol('HOLIDAY_CALENDAR_FILE');

/** The file's dates as the day lists deadline-calendar.ts counts with, sorted. */
export function officialDays(file: HolidayCalendarFile): Required<DayLists> {
  return { holidays: Object.keys(file.holidays).sort(), workdays: Object.keys(file.workdays).sort() };
}

/** The file at `path`, validated; a missing or invalid file stops start-up with a message naming HOLIDAY_CALENDAR. */
export function readHolidayCalendarFile(path: string): HolidayCalendarFile {
  const fail = (reason: string) => new ConfigError(`HOLIDAY_CALENDAR: ${path}: ${reason}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code ? `cannot read the file (${code})` : `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = holidayCalendarFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** How far the official calendar reaches, seen from `now`. */
export interface CalendarCoverage {
  /** the last day the calendar decides */
  coveredThrough: string;
  /** whether it covers the next 12 months from `now` */
  ok: boolean;
  /** whether it decides today at least: false means deadlines are being counted without official days now */
  coversToday: boolean;
  /** when not ok: what that means and what to do */
  warning?: string;
}

export const COVERAGE_MONTHS = 12;

/** Whether a calendar covering days through `coveredThrough` covers the next 12 months from `now` (local days). */
export function calendarCoverage(coveredThrough: string, now: Date, zone = DEFAULT_ZONE): CalendarCoverage {
  const today = DateTime.fromJSDate(now, { zone });
  const needed = today.plus({ months: COVERAGE_MONTHS }).toISODate() ?? '';
  const coversToday = coveredThrough >= (today.toISODate() ?? '');
  if (coveredThrough >= needed) {
    return { coveredThrough, ok: true, coversToday };
  }
  return {
    coveredThrough,
    ok: false,
    coversToday,
    warning:
      `the holiday calendar (HOLIDAY_CALENDAR) covers days through ${coveredThrough} only, not the next ${COVERAGE_MONTHS} months ` +
      `(through ${needed}): working days after ${coveredThrough} are counted Monday–Friday, without official holidays ` +
      'and make-up working days. Refresh it once the State Council publishes the next year (npm run calendar:refresh).',
  };
}
