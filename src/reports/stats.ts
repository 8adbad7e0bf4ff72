/** Small statistics for the leadership report. Pure, so the figures can be checked by hand. */

/**
 * The p-th percentile (0 ≤ p ≤ 1) of `values` by linear interpolation between closest ranks, the method
 * of spreadsheet programs' PERCENTILE.INC and MEDIAN, so a leader who re-checks a figure from the CSV
 * export gets the same number. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  return percentileOfSorted(sortedNumbers(values), p);
}

/** Ascending, in a typed array: 8 bytes a value, sorted numerically without a comparator. */
export const sortedNumbers = (values: ArrayLike<number>): Float64Array => Float64Array.from(values).sort();

/** `percentile` of values already in ascending order (sort once, read several percentiles). */
export function percentileOfSorted(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) {
    return null;
  }
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
