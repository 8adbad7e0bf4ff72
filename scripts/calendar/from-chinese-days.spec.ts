import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { describe, expect, it } from '@jest/globals';

import { readHolidayCalendarFile } from '../../src/deadlines/holiday-calendar-file.js';
import { calendarChanges, calendarFromChineseDays, type ChineseDaysData } from './from-chinese-days.js';

const require = createRequire(import.meta.url);
const installed = {
  version: (require('chinese-days/package.json') as { version: string }).version,
  data: JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')) as ChineseDaysData,
};

describe('calendarFromChineseDays', () => {
  it('is what config/calendar/cn-official.json holds: the file was refreshed from the pinned chinese-days', () => {
    // Fails when the devDependency is bumped without `npm run calendar:refresh`, or the file is edited by hand.
    expect(readHolidayCalendarFile('config/calendar/cn-official.json')).toEqual(calendarFromChineseDays(installed.data, installed.version));
  });

  it('names each date, covers through the end of the last year listed and sorts the dates', () => {
    const data: ChineseDaysData = {
      holidays: { '2027-01-01': "New Year's Day,元旦,1", '2026-10-01': 'National Day,国庆节,7' },
      workdays: { '2026-10-10': 'National Day,国庆节,7' },
    };
    const file = calendarFromChineseDays(data, '9.9.9');
    expect(file).toMatchObject({
      package: { name: 'chinese-days', version: '9.9.9' },
      zone: 'Asia/Shanghai',
      coveredThrough: '2027-12-31',
      holidays: { '2026-10-01': '国庆节 National Day', '2027-01-01': "元旦 New Year's Day" },
      workdays: { '2026-10-10': '国庆节 National Day' },
    });
    expect(Object.keys(file.holidays)).toEqual(['2026-10-01', '2027-01-01']);
  });

  it('refuses data the service would refuse (a day both off and worked)', () => {
    expect(() => calendarFromChineseDays({ holidays: { '2026-10-01': 'a,b,1' }, workdays: { '2026-10-01': 'a,b,1' } }, '1')).toThrow(
      /also a holiday/,
    );
  });

  it('lists what a refresh adds, drops and renames', () => {
    const before = calendarFromChineseDays(
      { holidays: { '2026-10-01': 'National Day,国庆节,7', '2026-10-08': 'x,y,1' }, workdays: {} },
      '1',
    );
    const after = calendarFromChineseDays(
      {
        holidays: { '2026-10-01': 'National Day,国庆,7', '2027-01-01': "New Year's Day,元旦,1" },
        workdays: { '2026-10-10': 'National Day,国庆节,7' },
      },
      '2',
    );
    expect(calendarChanges(before, after)).toEqual([
      '~ holidays 2026-10-01 国庆节 National Day → 国庆 National Day',
      '- holidays 2026-10-08 y x',
      "+ holidays 2027-01-01 元旦 New Year's Day",
      '+ workdays 2026-10-10 国庆节 National Day',
    ]);
  });
});
