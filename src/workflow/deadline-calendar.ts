/**
 * Deadline arithmetic for the case lifecycle (explanation, review, appeal window, appeal review, correction) and for
 * look-back windows such as the repeat-error window.
 *
 * The policy (`deadlines` in policy-schema.ts) gives each period as an ISO 8601 duration and says whether days are
 * working days (`workingDays`). Which days are worked comes from a `Calendar`: the official holidays and make-up
 * working days (调休上班) of the State Council's yearly notices (config/calendar/cn-official.json), with the policy's
 * own local `holidays` and `workdays` laid over them (`withLocalDays`). The days the policy talks about are local
 * days of the office, so every date is read in one fixed IANA time zone (`zone`, default 'Asia/Shanghai'), never in
 * the server's own zone.
 *
 * Rules of `addDuration`:
 *
 * 1. Working-day mode — `calendar.workingDays` is true and the duration is a whole number of days and/or weeks only
 *    (P5D, P2W, P1W2D; no years, months or time part). Each week counts as 5 working days (P2W = 10 working days).
 *    Counting starts on the day AFTER the start's local date; a day is a working day when it is not in
 *    `calendar.holidays` and is either Monday–Friday or in `calendar.workdays` (a make-up working day, 调休上班:
 *    usually a weekend day worked in exchange for a holiday bridge). The deadline is the END of the last counted
 *    working day (23:59:59.999 local). So "P5D" given on a Friday afternoon of an ordinary week ends at the end of the
 *    following Friday, and given on a Saturday or Sunday it also ends at the end of the following Friday (counting
 *    starts on Monday); given on Thu 2026-02-12 it ends on Thu 2026-02-26 (Fri 13, make-up Sat 14, the Spring
 *    Festival 15–23, Tue 24, Wed 25, Thu 26). P0D ends at the end of the start's own day.
 *
 * 2. Calendar mode — anything else: `workingDays` is false, or the duration has years, months or a time part (P1M,
 *    P3Y, PT12H, P1DT12H). Plain calendar arithmetic with luxon in `zone`: adding months/years keeps the day of
 *    month and clamps at month ends (Jan 31 + P1M = Feb 28, or Feb 29 in a leap year).
 *    - A date-only duration (whole years/months/weeks/days, no time part — P5D, P1M, P3Y) ends at the END of the
 *      resulting local day (23:59:59.999), like a working-day deadline: "within 15 days" means through that day.
 *    - A duration with a time part (PT12H, P1DT12H) or a fractional date unit (P1.5D) is exact: the start's time of
 *      day is kept and no rounding to the end of the day happens.
 *
 * Durations must be valid ISO 8601 as luxon parses it, name at least one component, and not be negative; otherwise
 * an Error naming the input is thrown. The same holds for `subtractDuration`.
 */
import { DateTime, Duration } from 'luxon';

export const DEFAULT_ZONE = 'Asia/Shanghai';

/** Day-counting rules: whether days are working days, and which dates break the Monday–Friday rule. */
export interface Calendar {
  /** count days as working days (see the rules above) rather than calendar days */
  workingDays: boolean;
  /** days off, 'YYYY-MM-DD' local dates in the calendar's zone; a date here is never a working day */
  holidays: readonly string[];
  /** make-up working days (调休上班), 'YYYY-MM-DD': working days even on a weekend */
  workdays?: readonly string[];
}

/** Holidays and make-up working days without the mode: the official list, or a policy's local additions. */
export type DayLists = Pick<Calendar, 'holidays' | 'workdays'>;

/**
 * The official days with a policy's local ones laid over them. Local days win: a local holiday is off even when
 * the official calendar makes it a make-up working day, and a local make-up working day is worked even when it
 * is an official holiday (a policy that lists one means it). Within the result, `holidays` beats `workdays`.
 */
export function withLocalDays(official: DayLists, local: DayLists): DayLists {
  const localHolidays = new Set(local.holidays);
  const localWorkdays = new Set(local.workdays ?? []);
  return {
    holidays: [...new Set([...official.holidays.filter((d) => !localWorkdays.has(d)), ...local.holidays])].sort(),
    workdays: [...new Set([...(official.workdays ?? []), ...localWorkdays])].filter((d) => !localHolidays.has(d)).sort(),
  };
}

/** Whether the local date `isoDate` ('YYYY-MM-DD') is a working day under `calendar`'s lists. */
export function isWorkingDay(isoDate: string, calendar: DayLists): boolean {
  dateSet([isoDate], 'date');
  return isWorkingDate(DateTime.fromISO(isoDate, { zone: 'utc' }), prepared(calendar));
}

const WORKING_DAY_CACHE_SIZE = 4096;

/** A calendar's lists as sets, validated once, and its due instants of working-day periods by start date and count. */
interface PreparedDays {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  dues: Map<string, number>;
}
/**
 * Per calendar object (the service keeps one per policy): the official list has hundreds of dates, too many to
 * validate or join into a cache key at every deadline, and luxon's zone arithmetic is slow.
 */
const preparedDays = new WeakMap<DayLists, PreparedDays>();

function prepared(calendar: DayLists): PreparedDays {
  let days = preparedDays.get(calendar);
  if (!days) {
    days = {
      holidays: dateSet(calendar.holidays, 'holiday'),
      workdays: dateSet(calendar.workdays ?? [], 'make-up working day'),
      dues: new Map(),
    };
    preparedDays.set(calendar, days);
  }
  return days;
}
/** Policy durations are a handful of strings: parse each once. */
const durations = new Map<string, Duration>();
/** Per zone, the local day last asked about: almost every deadline starts "today". */
const lastLocalDay = new Map<string, { from: number; to: number; isoDate: string }>();

function localIsoDate(start: Date, zone: string): string {
  const ms = start.getTime();
  const day = lastLocalDay.get(zone);
  if (day && ms >= day.from && ms <= day.to) {
    return day.isoDate;
  }
  const local = toZone(start, zone);
  const entry = { from: local.startOf('day').toMillis(), to: local.endOf('day').toMillis(), isoDate: local.toISODate() ?? '' };
  lastLocalDay.set(zone, entry);
  return entry.isoDate;
}

/**
 * The due instant of a period of `isoDuration` that starts at `start` (see the rules at the top of this file).
 * @throws Error if the duration, a holiday, the start date or the zone is invalid
 */
export function addDuration(start: Date, isoDuration: string, calendar: Calendar, zone = DEFAULT_ZONE): Date {
  let duration = durations.get(isoDuration);
  if (!duration) {
    duration = parseDuration(isoDuration);
    durations.set(isoDuration, duration);
  }
  const v = duration.toObject();

  const dateOnly = !hasTimePart(v);
  const wholeDateUnits = [v.years, v.quarters, v.months, v.weeks, v.days].every((n) => Number.isInteger(n ?? 0));
  const onlyDaysAndWeeks = !v.years && !v.quarters && !v.months;

  if (calendar.workingDays && dateOnly && wholeDateUnits && onlyDaysAndWeeks) {
    const count = (v.days ?? 0) + 5 * (v.weeks ?? 0);
    // The result depends only on the local start date, so it is remembered per date: each step of the
    // walk costs luxon Intl offset look-ups, and every decision asks for the same few dates.
    const days = prepared(calendar);
    const key = `${localIsoDate(start, zone)}|${count}|${zone}`;
    let due = days.dues.get(key);
    if (due === undefined) {
      due = addWorkingDays(toZone(start, zone), count, days).endOf('day').toMillis();
      if (days.dues.size >= WORKING_DAY_CACHE_SIZE) {
        days.dues.clear();
      }
      days.dues.set(key, due);
    }
    return new Date(due);
  }

  const due = toZone(start, zone).plus(duration);
  return (dateOnly && wholeDateUnits ? due.endOf('day') : due).toJSDate();
}

/**
 * `end` minus `isoDuration` by plain calendar arithmetic in `zone`, keeping the time of day (month ends clamp:
 * Mar 31 − P1M = Feb 28/29). Used for look-back windows such as "within the last P3Y".
 * @throws Error if the duration, the end date or the zone is invalid
 */
export function subtractDuration(end: Date, isoDuration: string, zone = DEFAULT_ZONE): Date {
  const duration = parseDuration(isoDuration);
  return toZone(end, zone).minus(duration).toJSDate();
}

/** Whether `now` is past `dueAt` (a deadline is met up to and including its due instant). */
export function isOverdue(dueAt: Date, now: Date): boolean {
  return now.getTime() > dueAt.getTime();
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type DurationValues = ReturnType<Duration['toObject']>;

const DATE_UNITS = ['years', 'quarters', 'months', 'weeks', 'days'] as const;
const TIME_UNITS = ['hours', 'minutes', 'seconds', 'milliseconds'] as const;

function hasTimePart(v: DurationValues): boolean {
  return TIME_UNITS.some((unit) => (v[unit] ?? 0) !== 0);
}

function parseDuration(iso: string): Duration {
  const invalid = (why: string) => new Error(`invalid ISO 8601 duration ${JSON.stringify(iso)}: ${why} (e.g. "P5D")`);
  if (typeof iso !== 'string') {
    throw invalid('not a string');
  }
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) {
    throw invalid('cannot be parsed');
  }
  // luxon accepts "P", "PT" and "P1DT", which ISO 8601 does not: a duration needs a component, "T" needs a time one.
  if (/^-?PT?$/.test(iso) || iso.endsWith('T')) {
    throw invalid('no component after "P" or "T"');
  }
  const v = duration.toObject();
  if ([...DATE_UNITS, ...TIME_UNITS].some((unit) => (v[unit] ?? 0) < 0)) {
    throw invalid('negative durations are not allowed');
  }
  return duration;
}

function toZone(instant: Date, zone: string): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new Error(`invalid date ${String(instant)}`);
  }
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid) {
    throw new Error(`invalid time zone ${JSON.stringify(zone)}`);
  }
  return local;
}

function dateSet(dates: readonly string[], what: string): ReadonlySet<string> {
  for (const day of dates) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !DateTime.fromISO(day).isValid) {
      throw new Error(`invalid ${what} ${JSON.stringify(day)} (expected YYYY-MM-DD)`);
    }
  }
  return new Set(dates);
}

/** `day` is a UTC midnight standing for a local date (see addWorkingDays). */
function isWorkingDate(day: DateTime, days: PreparedDays): boolean {
  const iso = day.toISODate() ?? '';
  return !days.holidays.has(iso) && (day.weekday <= 5 || days.workdays.has(iso));
}

/** The local date `count` working days after `local`'s date (the date itself when `count` is 0). */
function addWorkingDays(local: DateTime, count: number, days: PreparedDays): DateTime {
  // Walk the calendar in UTC and return to the zone at the end: day steps need no zone offsets, which
  // luxon computes through Intl at every step (a fifth of a decision's CPU in `npm run bench`).
  let day = local.startOf('day').setZone('utc', { keepLocalTime: true });
  for (let left = count; left > 0;) {
    day = day.plus({ days: 1 });
    if (isWorkingDate(day, days)) {
      left -= 1;
    }
  }
  return day.setZone(local.zone, { keepLocalTime: true });
}
