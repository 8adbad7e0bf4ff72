/**
 * Writes the official holiday calendar (config/calendar/cn-official.json, or the file named as argument) from the
 * installed chinese-days package: `npm run calendar:refresh [-- file]`. Yearly, once the State Council has published
 * next year's arrangement and chinese-days has released it: `npm install -D -E chinese-days@<new version>`, then
 * this, then review the printed changes and commit the file (docs/operations.md, "Holiday calendar"). The service
 * reads only the file; the package is a devDependency.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

import { calendarCoverage, readHolidayCalendarFile } from '../src/deadlines/holiday-calendar-file.js';
import { calendarChanges, calendarFromChineseDays, type ChineseDaysData } from './calendar/from-chinese-days.js';
import { runScript } from './run-script.js';

runScript('calendar:refresh', () => {
  const target = resolve(process.argv[2] ?? 'config/calendar/cn-official.json');
  const require = createRequire(import.meta.url);
  const { version } = require('chinese-days/package.json') as { version: string };
  const data = JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')) as ChineseDaysData;

  const before = existsSync(target) ? readHolidayCalendarFile(target) : null;
  const calendar = calendarFromChineseDays(data, version);
  writeFileSync(target, `${JSON.stringify(calendar, null, 2)}\n`);

  const changes = calendarChanges(before, calendar);
  process.stdout.write(
    `${target}: chinese-days ${version}, ${Object.keys(calendar.holidays).length} holidays and ` +
      `${Object.keys(calendar.workdays).length} make-up working days through ${calendar.coveredThrough}; ` +
      `${changes.length} date(s) changed${before ? '' : ' (new file)'}\n`,
  );
  if (before) {
    process.stdout.write(changes.map((line) => `  ${line}\n`).join(''));
  }
  const { warning } = calendarCoverage(calendar.coveredThrough, new Date());
  if (warning) {
    process.stdout.write(`warning: ${warning} (newest chinese-days: npm view chinese-days version)\n`);
  }
  return Promise.resolve();
});
