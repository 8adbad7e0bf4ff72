import { type HolidayCalendarFile, holidayCalendarFileSchema } from '../../src/deadlines/holiday-calendar-file.js';
import { DEFAULT_ZONE } from '../../src/workflow/deadline-calendar.js';

/** The part of chinese-days' dist/chinese-days.json the service uses: date → "English name,中文名,days off". */
export interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

export const SOURCE =
  'The yearly notices of the State Council General Office on public holiday arrangements (国务院办公厅关于某年部分节假日安排的通知, ' +
  'https://www.gov.cn/zhengce/), as compiled by the npm package chinese-days.';

/** "Spring Festival,春节,9" → "春节 Spring Festival": the Chinese name first, as in the notices. */
function occasion(value: string): string {
  const [english = '', chinese = ''] = value.split(',');
  return [chinese, english].filter(Boolean).join(' ') || value;
}

function sortedNames(days: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(days)
      .sort()
      .map((day) => [day, occasion(days[day])]),
  );
}

/**
 * The service's calendar file from chinese-days' data. Each notice decides one whole year, so the file covers
 * through 31 December of the last year that has holidays in it. Validated with the schema the service loads it with.
 */
export function calendarFromChineseDays(data: ChineseDaysData, version: string): HolidayCalendarFile {
  const lastYear = Math.max(...Object.keys(data.holidays).map((day) => Number(day.slice(0, 4))));
  if (!Number.isFinite(lastYear)) {
    throw new Error('chinese-days lists no holidays');
  }
  return holidayCalendarFileSchema.parse({
    description:
      'Official public holidays and make-up working days (调休上班) of the People’s Republic of China. Generated: do not edit ' +
      'by hand; local days belong in a policy’s deadlines.holidays / deadlines.workdays (docs/policy.md).',
    source: SOURCE,
    package: { name: 'chinese-days', version, url: 'https://github.com/vsme/chinese-days' },
    generatedBy: 'npm run calendar:refresh',
    zone: DEFAULT_ZONE,
    coveredThrough: `${lastYear}-12-31`,
    holidays: sortedNames(data.holidays),
    workdays: sortedNames(data.workdays),
  });
}

/** Dates that a refresh adds, drops or renames, for the person reviewing it: a changed past date is worth a look. */
export function calendarChanges(before: HolidayCalendarFile | null, after: HolidayCalendarFile): string[] {
  const lines: string[] = [];
  for (const list of ['holidays', 'workdays'] as const) {
    const old = before?.[list] ?? {};
    const now = after[list];
    for (const day of Object.keys({ ...old, ...now }).sort()) {
      if (!(day in old)) {
        lines.push(`+ ${list} ${day} ${now[day]}`);
      } else if (!(day in now)) {
        lines.push(`- ${list} ${day} ${old[day]}`);
      } else if (old[day] !== now[day]) {
        lines.push(`~ ${list} ${day} ${old[day]} → ${now[day]}`);
      }
    }
  }
  return lines;
}
