import ms, { type StringValue } from 'ms';

/** Shortest and longest token lifetimes accepted (a token outliving a month is a password by another name). */
const MIN_SECONDS = 60;
const MAX_SECONDS = 30 * 24 * 3600;

/**
 * Seconds a token lives, from JWT_EXPIRES_IN ("8h", "30m", "2 days", as the `ms` package reads it), or null when
 * the value is not such a duration or lies outside 1 minute – 30 days.
 *
 * A unit is required: "3600" alone would be read as 3,600 milliseconds by the JWT library (3.6 s tokens). The
 * service signs with the number returned here, so a value that passes validation is exactly what is used —
 * "forever" once passed the old check and then made every login a 500.
 */
export function tokenLifetimeSeconds(value: string): number | null {
  if (!/^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i.test(value)) {
    return null;
  }
  const millis = ms(value as StringValue); // the pattern above is the shape StringValue describes
  if (typeof millis !== 'number' || !Number.isFinite(millis)) {
    return null;
  }
  const seconds = Math.floor(millis / 1000);
  return seconds >= MIN_SECONDS && seconds <= MAX_SECONDS ? seconds : null;
}
