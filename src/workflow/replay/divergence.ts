/** How replay stops: a Diverged error names what differs, and both sides. */
import { isDeepStrictEqual } from 'node:util';

import canonicalize from 'canonicalize';
import type { z } from 'zod';

export class Diverged extends Error {
  constructor(
    readonly reason: string,
    readonly expected: unknown,
    readonly actual: unknown,
  ) {
    super(reason);
  }
}

export const canonical = (value: unknown): string | undefined => canonicalize(value ?? null);

/**
 * Equal as JSON values, whatever the key order. Cheapest first: a structural comparison settles the
 * usual case (equal values, whatever their key order) without building any text — verify compares a
 * case's whole evidence list, a thousand entries on a long case; the same JSON text, then the canonical
 * form, settle the differences only JSON does not see (a key set to undefined, a missing key).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return (
    a === b ||
    sameFlatRecord(a, b) ||
    sameListOfFlatRecords(a, b) ||
    isDeepStrictEqual(a ?? null, b ?? null) ||
    JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ||
    canonical(a) === canonical(b)
  );
}

const isScalar = (value: unknown): boolean =>
  value === null || (typeof value !== 'object' && value !== undefined && typeof value !== 'function');

/**
 * Two objects of scalar values with the same keys and values: most of what replay compares per event (a
 * transition's from and to, a recorded outcome, each piece of evidence). Settled without isDeepStrictEqual,
 * which allocated ~0.8 MB of key lists per verify of 1,000 events. False only means "not settled here".
 */
function sameFlatRecord(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) || Array.isArray(b)) {
    return false;
  }
  let keys = 0;
  for (const key in a) {
    const value = (a as Record<string, unknown>)[key];
    if (!isScalar(value) || !Object.hasOwn(b, key) || (b as Record<string, unknown>)[key] !== value) {
      return false;
    }
    keys++;
  }
  for (const key in b) {
    if (Object.hasOwn(b, key)) {
      keys--;
    }
  }
  return keys === 0;
}

/** Lists of such records, pair by pair (a case's evidence: a thousand entries on a long case). */
function sameListOfFlatRecords(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) {
    return false;
  }
  return a.every((item, i) => item === b[i] || sameFlatRecord(item, b[i]));
}

export function same(what: string, expected: unknown, actual: unknown): void {
  if (!sameJson(expected, actual)) {
    throw new Diverged(`${what} differs from what replay gives`, expected, actual);
  }
}

export function read<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Diverged(`event data is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'well-formed data', value);
  }
  return parsed.data;
}
