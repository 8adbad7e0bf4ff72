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
    isDeepStrictEqual(a ?? null, b ?? null) ||
    JSON.stringify(a ?? null) === JSON.stringify(b ?? null) ||
    canonical(a) === canonical(b)
  );
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
