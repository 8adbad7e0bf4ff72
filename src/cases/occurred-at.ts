/** A time written with hours but without a zone: `2026-03-15T10:00`, `2026-03-15 10:00:00.5`. */
const ZONELESS_TIME = /[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * `occurredAt` as a UTC instant (`2026-03-15` → `2026-03-15T00:00:00.000Z`), so dates and date-times of
 * the conduct compare and sort correctly as text. The opening body accepts any strict ISO 8601 form; a
 * time without a zone is read as UTC (never as the server's local time). Week and ordinal dates
 * (`2026-W11`, `2026-074`) and the basic format have no such instant here: null, so they match no range.
 */
export function occurredAtUtc(occurredAt: string): string | null {
  const text = ZONELESS_TIME.test(occurredAt) ? `${occurredAt}Z` : occurredAt;
  const ms = /^\d{4}(-\d{2}){0,2}([T ]|$)/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
