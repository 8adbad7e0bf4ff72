import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';

import { addDuration, type Calendar, isOverdue, isWorkingDay, subtractDuration, withLocalDays } from './deadline-calendar.js';

const ZONE = 'Asia/Shanghai';

/** An instant given as Asia/Shanghai local time, e.g. '2026-03-06T15:00'. */
const local = (iso: string): Date => DateTime.fromISO(iso, { zone: ZONE }).toJSDate();
/** The instant shown as Asia/Shanghai local time with offset. */
const shown = (d: Date): string | null => DateTime.fromJSDate(d, { zone: ZONE }).toISO();
/** The end of a local day, as `shown` prints it. */
const endOf = (date: string) => `${date}T23:59:59.999+08:00`;

const working: Calendar = { workingDays: true, holidays: [] };
const calendarDays: Calendar = { workingDays: false, holidays: [] };
const nationalDay: Calendar = {
  workingDays: true,
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
};

describe('addDuration in working-day mode', () => {
  it('counts P5D from a Monday as the next five working days (ends the following Monday)', () => {
    // 2026-03-02 is a Monday: Tue 3, Wed 4, Thu 5, Fri 6, Mon 9
    expect(shown(addDuration(local('2026-03-02T09:30'), 'P5D', working))).toBe(endOf('2026-03-09'));
  });

  it('ends P5D given on a Friday afternoon at the end of the following Friday', () => {
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P5D', working))).toBe(endOf('2026-03-13'));
  });

  it('starts counting on Monday when given on a Saturday or Sunday', () => {
    expect(shown(addDuration(local('2026-03-07T10:00'), 'P5D', working))).toBe(endOf('2026-03-13'));
    expect(shown(addDuration(local('2026-03-08T23:00'), 'P5D', working))).toBe(endOf('2026-03-13'));
    expect(shown(addDuration(local('2026-03-08T23:00'), 'P1D', working))).toBe(endOf('2026-03-09'));
  });

  it('skips holidays (National Day 2026-10-01..07)', () => {
    // Wed 2026-09-30: Oct 1–7 are holidays, then Thu 8, Fri 9, Mon 12, Tue 13, Wed 14
    expect(shown(addDuration(local('2026-09-30T11:00'), 'P5D', nationalDay))).toBe(endOf('2026-10-14'));
    // given during the holiday, counting starts on the first working day after it
    expect(shown(addDuration(local('2026-10-03T11:00'), 'P1D', nationalDay))).toBe(endOf('2026-10-08'));
    // without the holiday list the same period ends a week earlier
    expect(shown(addDuration(local('2026-09-30T11:00'), 'P5D', working))).toBe(endOf('2026-10-07'));
  });

  it('counts a week as five working days (P2W = 10, P1W2D = 7)', () => {
    expect(shown(addDuration(local('2026-03-02T09:30'), 'P2W', working))).toBe(endOf('2026-03-16'));
    expect(shown(addDuration(local('2026-03-02T09:30'), 'P10D', working))).toBe(endOf('2026-03-16'));
    expect(shown(addDuration(local('2026-03-02T09:30'), 'P1W2D', working))).toBe(endOf('2026-03-11'));
  });

  it('ends P0D at the end of the start day', () => {
    expect(shown(addDuration(local('2026-03-02T09:30'), 'P0D', working))).toBe(endOf('2026-03-02'));
  });

  it('uses calendar arithmetic for months, years and time parts even when workingDays is true', () => {
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P1M', working))).toBe(endOf('2026-04-06'));
    expect(shown(addDuration(local('2026-03-06T16:45'), 'PT12H', working))).toBe('2026-03-07T04:45:00.000+08:00');
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P1DT2H', working))).toBe('2026-03-07T18:45:00.000+08:00');
  });

  it('reads the start date in the office time zone, not UTC', () => {
    // 20:00 UTC on Sunday 2026-03-01 is already 04:00 on Monday 2026-03-02 in Asia/Shanghai
    const start = new Date('2026-03-01T20:00:00Z');
    expect(shown(start)).toBe('2026-03-02T04:00:00.000+08:00');
    const due = addDuration(start, 'P5D', working);
    expect(shown(due)).toBe(endOf('2026-03-09'));
    expect(due.toISOString()).toBe('2026-03-09T15:59:59.999Z');
    // read in UTC it would be a Sunday start, ending Friday 2026-03-06 (UTC)
    expect(addDuration(start, 'P5D', working, 'UTC').toISOString()).toBe('2026-03-06T23:59:59.999Z');
  });
});

/**
 * The State Council’s 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知), as config/calendar/cn-official.json has it:
 * Spring Festival Feb 15–23 off, Sat Feb 14 and Sat Feb 28 worked; Mid-Autumn Sep 25–27 off; National Day
 * Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked.
 */
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d.toISODate()! <= to; d = d.plus({ days: 1 })) {
    out.push(d.toISODate()!);
  }
  return out;
};
const official2026 = {
  holidays: [...days('2026-02-15', '2026-02-23'), ...days('2026-09-25', '2026-09-27'), ...days('2026-10-01', '2026-10-07')],
  workdays: ['2026-02-14', '2026-02-28', '2026-09-20', '2026-10-10'],
};
const official: Calendar = { workingDays: true, ...official2026 };

describe('addDuration with official holidays and make-up working days (调休)', () => {
  it('Spring Festival 2026: P5D from Thu Feb 12 ends Thu Feb 26, counting the make-up Saturday', () => {
    // Fri 13, Sat 14 (worked), Feb 15–23 off, Tue 24, Wed 25, Thu 26
    expect(shown(addDuration(local('2026-02-12T10:00'), 'P5D', official))).toBe(endOf('2026-02-26'));
    // Monday–Friday alone would put it on Thu Feb 19, inside the holiday
    expect(shown(addDuration(local('2026-02-12T10:00'), 'P5D', working))).toBe(endOf('2026-02-19'));
  });

  it('National Day 2026: P5D from Mon Sep 28 ends on the make-up Saturday Oct 10', () => {
    // Tue 29, Wed 30, Oct 1–7 off, Thu 8, Fri 9, Sat 10 (worked)
    expect(shown(addDuration(local('2026-09-28T10:00'), 'P5D', official))).toBe(endOf('2026-10-10'));
    expect(shown(addDuration(local('2026-09-28T10:00'), 'P5D', working))).toBe(endOf('2026-10-05'));
  });

  it('counts a make-up Sunday too, and skips the Mid-Autumn holiday that falls on a Friday', () => {
    // Fri Sep 18 → Sun Sep 20 (worked) is the first working day
    expect(shown(addDuration(local('2026-09-18T10:00'), 'P1D', official))).toBe(endOf('2026-09-20'));
    // Thu Sep 24 → Fri 25 off, weekend off, Mon 28
    expect(shown(addDuration(local('2026-09-24T10:00'), 'P1D', official))).toBe(endOf('2026-09-28'));
  });

  it('answers isWorkingDay the same way', () => {
    expect(['2026-02-13', '2026-02-14', '2026-02-16', '2026-02-21', '2026-02-24'].map((d) => isWorkingDay(d, official2026))).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(() => isWorkingDay('2026-02-30', official2026)).toThrow(/invalid date "2026-02-30"/);
  });

  it('rejects an invalid make-up working day', () => {
    expect(() => addDuration(local('2026-03-02T09:30'), 'P5D', { workingDays: true, holidays: [], workdays: ['2026-3-7'] })).toThrow(
      /invalid make-up working day "2026-3-7"/,
    );
  });
});

describe('withLocalDays (a policy over the official calendar)', () => {
  it('adds a local holiday: P5D from Mon Mar 2 moves a day when Thu Mar 5 is off locally', () => {
    const local5 = { workingDays: true, ...withLocalDays(official2026, { holidays: ['2026-03-05'] }) };
    expect(shown(addDuration(local('2026-03-02T09:30'), 'P5D', local5))).toBe(endOf('2026-03-10'));
    // the official days still count
    expect(shown(addDuration(local('2026-02-12T10:00'), 'P5D', local5))).toBe(endOf('2026-02-26'));
  });

  it('lets local days win: a local holiday on an official make-up day is off, a local make-up day is worked', () => {
    const merged = withLocalDays(official2026, { holidays: ['2026-02-14'], workdays: ['2026-10-07', '2026-03-07'] });
    expect(isWorkingDay('2026-02-14', merged)).toBe(false);
    expect(isWorkingDay('2026-10-07', merged)).toBe(true);
    expect(isWorkingDay('2026-03-07', merged)).toBe(true);
    expect(isWorkingDay('2026-10-06', merged)).toBe(false);
    expect(isWorkingDay('2026-02-28', merged)).toBe(true);
  });

  it('leaves the official days as they are without local ones', () => {
    const merged = withLocalDays(official2026, { holidays: [] });
    expect(merged).toEqual({ holidays: [...official2026.holidays].sort(), workdays: [...official2026.workdays].sort() });
  });
});

describe('addDuration in calendar mode', () => {
  it('counts calendar days and ends at the end of the local day', () => {
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P5D', calendarDays))).toBe(endOf('2026-03-11'));
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P15D', calendarDays))).toBe(endOf('2026-03-21'));
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P2W', calendarDays))).toBe(endOf('2026-03-20'));
  });

  it('ignores holidays when workingDays is false', () => {
    const holidaysOnly: Calendar = { ...nationalDay, workingDays: false };
    expect(shown(addDuration(local('2026-09-30T11:00'), 'P5D', holidaysOnly))).toBe(endOf('2026-10-05'));
  });

  it('clamps month ends (Jan 31 + P1M)', () => {
    expect(shown(addDuration(local('2026-01-31T10:00'), 'P1M', calendarDays))).toBe(endOf('2026-02-28'));
    expect(shown(addDuration(local('2028-01-31T10:00'), 'P1M', calendarDays))).toBe(endOf('2028-02-29'));
  });

  it('adds years (P3Y), clamping Feb 29', () => {
    expect(shown(addDuration(local('2026-03-06T16:45'), 'P3Y', calendarDays))).toBe(endOf('2029-03-06'));
    expect(shown(addDuration(local('2028-02-29T08:00'), 'P3Y', calendarDays))).toBe(endOf('2031-02-28'));
  });

  it('keeps the time of day for durations with a time part (PT12H)', () => {
    expect(shown(addDuration(local('2026-03-06T16:45'), 'PT12H', calendarDays))).toBe('2026-03-07T04:45:00.000+08:00');
    expect(shown(addDuration(local('2026-03-06T16:45'), 'PT30M', calendarDays))).toBe('2026-03-06T17:15:00.000+08:00');
  });

  it('reads the start date in the office time zone, not UTC', () => {
    expect(shown(addDuration(new Date('2026-03-01T20:00:00Z'), 'P1D', calendarDays))).toBe(endOf('2026-03-03'));
  });
});

describe('subtractDuration', () => {
  it('subtracts P3Y keeping the time of day', () => {
    expect(shown(subtractDuration(local('2026-03-06T16:45'), 'P3Y'))).toBe('2023-03-06T16:45:00.000+08:00');
  });

  it('clamps month ends and leap days', () => {
    expect(shown(subtractDuration(local('2028-02-29T08:00'), 'P3Y'))).toBe('2025-02-28T08:00:00.000+08:00');
    expect(shown(subtractDuration(local('2026-03-31T08:00'), 'P1M'))).toBe('2026-02-28T08:00:00.000+08:00');
  });

  it('subtracts days and hours', () => {
    expect(shown(subtractDuration(local('2026-03-06T16:45'), 'P10D'))).toBe('2026-02-24T16:45:00.000+08:00');
    expect(shown(subtractDuration(local('2026-03-06T06:00'), 'PT12H'))).toBe('2026-03-05T18:00:00.000+08:00');
  });
});

describe('invalid input', () => {
  it.each(['', '5D', 'p5d', 'P', 'PT', 'P1DT', 'P1,5D', 'five days', 'P-5D', '-P5D'])('rejects the duration %p', (bad) => {
    const start = local('2026-03-02T09:30');
    expect(() => addDuration(start, bad, working)).toThrow(/invalid ISO 8601 duration/);
    expect(() => addDuration(start, bad, calendarDays)).toThrow(/invalid ISO 8601 duration/);
    expect(() => subtractDuration(start, bad)).toThrow(/invalid ISO 8601 duration/);
  });

  it('names the offending duration in the message', () => {
    expect(() => addDuration(local('2026-03-02T09:30'), 'P5X', working)).toThrow('invalid ISO 8601 duration "P5X"');
  });

  it('rejects an invalid date, zone or holiday', () => {
    expect(() => addDuration(new Date(Number.NaN), 'P5D', working)).toThrow(/invalid date/);
    expect(() => addDuration(local('2026-03-02T09:30'), 'P5D', working, 'Mars/Olympus')).toThrow(/invalid time zone/);
    expect(() => addDuration(local('2026-03-02T09:30'), 'P5D', { workingDays: true, holidays: ['2026-13-01'] })).toThrow(
      /invalid holiday "2026-13-01"/,
    );
  });
});

describe('isOverdue', () => {
  const due = new Date('2026-03-09T15:59:59.999Z');

  it('is overdue only strictly after the due instant', () => {
    expect(isOverdue(due, new Date('2026-03-09T15:59:59.998Z'))).toBe(false);
    expect(isOverdue(due, due)).toBe(false);
    expect(isOverdue(due, new Date('2026-03-09T16:00:00.000Z'))).toBe(true);
  });
});
