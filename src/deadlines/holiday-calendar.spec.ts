import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';

import { ManualClock } from '../common/clock.js';
import { ConfigError } from '../config/app-config.js';
import { PolicyRegistry } from '../policies/policy-registry.js';
import type { Policy } from '../workflow/policy/policy-schema.js';
import { HolidayCalendar } from './holiday-calendar.js';
import { calendarCoverage, readHolidayCalendarFile } from './holiday-calendar-file.js';

const SHIPPED = 'config/calendar/cn-official.json';
const shipped = readHolidayCalendarFile(SHIPPED);
const defaultPolicy = PolicyRegistry.fromDirectory('config/policies', 'default').current()!;
/** 10:00 in Asia/Shanghai on a local date */
const at = (date: string) => new Date(`${date}T02:00:00.000Z`);
/** the end of a local day in Asia/Shanghai, as an ISO instant */
const endOf = (date: string) => new Date(`${date}T15:59:59.999Z`).toISOString();

describe('HolidayCalendar with the shipped official calendar', () => {
  const calendar = new HolidayCalendar(shipped, new ManualClock());

  it('gives the explanation deadline of the default policy on the official dates of 2026', () => {
    // Spring Festival: Fri 13, make-up Sat 14, Feb 15–23 off, Tue 24, Wed 25, Thu 26
    expect(calendar.dueAt(defaultPolicy, 'explanation', at('2026-02-12')).toISOString()).toBe(endOf('2026-02-26'));
    // National Day: Tue 29, Wed 30, Oct 1–7 off, Thu 8, Fri 9, make-up Sat 10
    expect(calendar.dueAt(defaultPolicy, 'explanation', at('2026-09-28')).toISOString()).toBe(endOf('2026-10-10'));
  });

  it('adds a policy’s local holidays and make-up working days to the official ones', () => {
    const local: Policy = {
      ...defaultPolicy,
      deadlines: { ...defaultPolicy.deadlines, holidays: ['2026-02-25'], workdays: ['2026-02-15'] },
    };
    // from Wed Feb 11: Thu 12, Fri 13, Sat 14 (official make-up), Sun 15 (local make-up), Feb 16–23 off, Tue 24
    expect(calendar.dueAt(local, 'explanation', at('2026-02-11')).toISOString()).toBe(endOf('2026-02-24'));
    expect(calendar.dueAt(defaultPolicy, 'explanation', at('2026-02-11')).toISOString()).toBe(endOf('2026-02-25'));
    // from Tue Feb 24: Wed 25 off locally, Thu 26, Fri 27, Sat 28 (official make-up), Mon Mar 2, Tue Mar 3
    expect(calendar.dueAt(local, 'explanation', at('2026-02-24')).toISOString()).toBe(endOf('2026-03-03'));
    expect(calendar.dueAt(defaultPolicy, 'explanation', at('2026-02-24')).toISOString()).toBe(endOf('2026-03-02'));
  });

  it('keeps calendar-day periods calendar days when a policy says so', () => {
    const calendarDays: Policy = { ...defaultPolicy, deadlines: { ...defaultPolicy.deadlines, workingDays: false } };
    expect(calendar.dueAt(calendarDays, 'explanation', at('2026-02-12')).toISOString()).toBe(endOf('2026-02-17'));
  });
});

describe('coverage (injected clock: independent of today)', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('is ok while the file reaches 12 months ahead, and warns from the day it does not', () => {
    const clock = new ManualClock(new Date('2025-12-31T09:00:00.000Z'));
    const calendar = new HolidayCalendar({ ...shipped, coveredThrough: '2026-12-31' }, clock);
    expect(calendar.coverage()).toEqual({ coveredThrough: '2026-12-31', ok: true, coversToday: true });

    clock.set(new Date('2026-01-01T09:00:00.000Z'));
    const { ok, warning } = calendar.coverage();
    expect(ok).toBe(false);
    expect(warning).toContain('covers days through 2026-12-31 only');
    expect(warning).toContain('through 2027-01-01');
    expect(warning).toContain('npm run calendar:refresh');
  });

  it('tells whether it decides today at all (Asia/Shanghai days)', () => {
    expect(calendarCoverage('2026-12-31', new Date('2026-12-31T15:59:59.999Z')).coversToday).toBe(true);
    expect(calendarCoverage('2026-12-31', new Date('2026-12-31T16:00:00.000Z')).coversToday).toBe(false);
  });

  it('reads the 12 months in local days (Asia/Shanghai), not UTC', () => {
    // 2025-12-31T16:30Z is already 2026-01-01 in Shanghai
    expect(calendarCoverage('2026-12-31', new Date('2025-12-31T15:59:59.999Z')).ok).toBe(true);
    expect(calendarCoverage('2026-12-31', new Date('2025-12-31T16:30:00.000Z')).ok).toBe(false);
  });

  it('logs the warning once at start-up when the calendar is short, and nothing when it is not', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    new HolidayCalendar(shipped, new ManualClock(new Date('2025-06-01T00:00:00.000Z'))).onApplicationBootstrap();
    expect(warn).not.toHaveBeenCalled();
    new HolidayCalendar(shipped, new ManualClock(new Date('2026-06-01T00:00:00.000Z'))).onApplicationBootstrap();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^the holiday calendar \(HOLIDAY_CALENDAR\) covers days through 2026-12-31 only/);
  });
});

describe('readHolidayCalendarFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'holiday-calendar-'));
  const write = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('reads the shipped file: its source, package and 2026 arrangement', () => {
    expect(shipped.source).toContain('State Council');
    expect(shipped.package).toMatchObject({ name: 'chinese-days' });
    expect(shipped.coveredThrough >= '2026-12-31').toBe(true);
    expect(Object.keys(shipped.workdays).filter((d) => d.startsWith('2026-'))).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
  });

  it.each([
    ['a missing file', () => join(dir, 'absent.json'), /^HOLIDAY_CALENDAR: .*absent\.json: cannot read the file \(ENOENT\)$/],
    ['a file that is not JSON', () => write('bad.json', '{ "holidays": '), /^HOLIDAY_CALENDAR: .*bad\.json: not valid JSON/],
    [
      'an invalid date',
      () => write('date.json', { ...shipped, holidays: { '2026-02-30': 'x' } }),
      /^HOLIDAY_CALENDAR: .*date\.json: holidays.*invalid date "2026-02-30"/,
    ],
    [
      'a day both off and worked',
      () => write('both.json', { ...shipped, workdays: { ...shipped.workdays, '2026-02-16': 'x' } }),
      /workdays\.2026-02-16: 2026-02-16 is also a holiday/,
    ],
    [
      'a date after coveredThrough',
      () => write('late.json', { ...shipped, coveredThrough: '2025-12-31' }),
      /is after coveredThrough 2025-12-31/,
    ],
    ['a file without a source', () => write('nosource.json', { ...shipped, source: undefined }), /source:/],
  ])('refuses %s, naming HOLIDAY_CALENDAR', (_what, path, message) => {
    const attempt = () => readHolidayCalendarFile(path());
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
