import { DomainError } from './domain-error.js';

/**
 * Reads `If-Match: <version>` (bare, quoted or weak-quoted, as ETag was sent). `*` or no header means
 * "no precondition".
 */
export function parseIfMatch(header: string | string[] | undefined): number | null {
  const raw = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!raw || raw === '*') {
    return null;
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw);
  if (!match) {
    throw DomainError.validation([{ field: 'if-match', message: 'must be a case version such as "3"' }]);
  }
  return Number(match[1]);
}

export const etagOf = (version: number): string => `"${version}"`;
