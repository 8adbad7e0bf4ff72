/** Small statistics for the leadership report. Pure, so the figures can be checked by hand. */

/**
 * The p-th percentile (0 ≤ p ≤ 1) of `values` by linear interpolation between closest ranks, the method
 * of spreadsheet programs' PERCENTILE.INC and MEDIAN, so a leader who re-checks a figure from the CSV
 * export gets the same number. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
}

/** part / whole, rounded to 4 decimals; null when there is no whole to compare with. */
export const rate = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10000) / 10000);

const DAY_MS = 24 * 60 * 60 * 1000;

/** Calendar days (fractional) between two ISO instants. */
export const daysBetween = (from: string, to: string): number => msToDays(Date.parse(to) - Date.parse(from));

/** Calendar days (fractional) in a span of milliseconds. */
export const msToDays = (ms: number): number => ms / DAY_MS;

/** Days to one decimal, as reports and the CSV show them. */
export const roundDays = (days: number | null): number | null => (days === null ? null : Math.round(days * 10) / 10);
