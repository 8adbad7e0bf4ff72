import type { CsvValue } from './csv.js';
import { daysBetween, roundDays } from './stats.js';

/** The case columns the export reads; all plain columns, none of the JSON ones. */
export const CSV_COLUMNS = [
  'title',
  'category',
  'unit_id',
  'subject_id',
  'state',
  'outcome',
  'recommended_outcome',
  'overridden',
  'intent',
  'motive',
  'nature',
  'occurred_at',
  'created_at',
  'decided_at',
  'appealed',
  'appeal_decision',
  'next_due_at',
  'closed_at',
] as const;

export type CsvCaseRow = { id: string } & Record<(typeof CSV_COLUMNS)[number], unknown>;

/** English for software that reads the file, Chinese for the people who do. Never renamed, only added to. */
export const CSV_HEADER = [
  'id',
  'title (标题)',
  'category (类别)',
  'unit (单位)',
  'subject (问责对象)',
  'state (状态)',
  'outcome (处理结果)',
  'recommended outcome (建议结果)',
  'overridden (改变建议)',
  'intent (故意/过失)',
  'motive (因私/因公)',
  'nature (违规/试错)',
  'occurred (发生时间)',
  'opened (立案时间)',
  'decided (决定时间)',
  'days to decision (办理天数)',
  'appealed (申诉)',
  'appeal decision (申诉结果)',
  'next deadline (最近期限)',
  'overdue (逾期)',
  'closed (结案时间)',
];

const text = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);
/** SQLite returns booleans as 0/1. */
const flag = (value: unknown): boolean => value === true || value === 1 || value === '1';

/** One case as one CSV row, in CSV_HEADER's order. */
export function csvRow(
  row: CsvCaseRow,
  names: { units: ReadonlyMap<string, string>; subjects: ReadonlyMap<string, string> },
  now: string,
): CsvValue[] {
  const decidedAt = text(row.decided_at);
  const nextDue = text(row.next_due_at);
  return [
    row.id,
    text(row.title),
    text(row.category),
    names.units.get(String(row.unit_id)) ?? text(row.unit_id),
    names.subjects.get(String(row.subject_id)) ?? text(row.subject_id),
    text(row.state),
    text(row.outcome),
    text(row.recommended_outcome),
    flag(row.overridden),
    text(row.intent),
    text(row.motive),
    text(row.nature),
    text(row.occurred_at),
    text(row.created_at),
    decidedAt,
    decidedAt === null ? null : roundDays(daysBetween(String(row.created_at), decidedAt)),
    flag(row.appealed),
    text(row.appeal_decision),
    nextDue,
    nextDue !== null && nextDue < now,
    text(row.closed_at),
  ];
}
