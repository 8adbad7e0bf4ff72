/** How replay stops: a Diverged error names what differs, and both sides. */
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
 * Equal as JSON values, whatever the key order. The same JSON text settles it first (it implies the same
 * canonical form, and is far cheaper than canonicalising — verify compares a thousand events' worth).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null) || canonical(a) === canonical(b);
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
