/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value that at least p% of the
 * values do not exceed (rank ⌈p/100 · n⌉). Until 2026-11-22's last runs the benchmarks read index
 * ⌊p/100 · n⌋ instead, one rank higher: with 100 samples their p99 was the maximum.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return 0;
  }
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1];
}
