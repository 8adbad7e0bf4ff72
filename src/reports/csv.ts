/**
 * CSV as RFC 4180 writes it, for spreadsheet programs: CRLF line ends, a field quoted when it holds a
 * comma, a quote, CR or LF (quotes doubled), and a UTF-8 byte order mark first, without which Excel
 * reads UTF-8 as the local code page and Chinese text comes out garbled.
 */
export const BOM = '\uFEFF';

/**
 * Cells a spreadsheet would run as a formula (CSV injection: `=HYPERLINK(…)`, `+cmd|…`, `-2+3`, `@SUM(…)`,
 * and the tab / CR that some programs skip before them) get a leading apostrophe, which spreadsheets
 * show as text. Titles and names are typed by users, so every text cell is treated this way.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export type CsvValue = string | number | boolean | null;

export function csvCell(value: CsvValue): string {
  if (value === null) {
    return '';
  }
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvCell).join(',')}\r\n`;
