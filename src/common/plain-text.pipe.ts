import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';

import { DomainError, type FieldError } from './domain-error.js';

/**
 * A lone UTF-16 surrogate (only a JSON `\ud800` escape makes one: decoded UTF-8 never holds it) is not
 * Unicode text: canonical JSON refuses to hash it, so a title holding one failed the audit event (a 500).
 * C0 control characters other than tab and line breaks, and DEL, have no place in case text: PostgreSQL
 * refuses NUL in text (a NUL in `q` was a 500 and a cut CSV export), and the others hide in logs, terminals
 * and spreadsheets.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\p{Cs}/u;
const LONE_SURROGATE = /\p{Cs}/u;

function problemOf(text: string): string | null {
  if (!SUSPECT.test(text)) {
    return null;
  }
  return LONE_SURROGATE.test(text)
    ? 'contains a lone UTF-16 surrogate: not valid Unicode text'
    : 'contains a control character (U+0000–U+001F other than tab, line feed and carriage return, or U+007F)';
}

/** The first string (or key) in `value` that is not plain text, named as class-validator names fields. */
export function findTextProblem(value: unknown, field: string): FieldError | null {
  if (typeof value === 'string') {
    const message = problemOf(value);
    return message === null ? null : { field: field || 'value', message };
  }
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) {
    return null;
  }
  // JSON bodies are at most JSON_MAX_DEPTH deep (json-body.ts) and query strings flat: the recursion is bounded.
  for (const [key, item] of Object.entries(value)) {
    const path = field ? `${field}.${key}` : key;
    const keyProblem = problemOf(key);
    if (keyProblem !== null) {
      return { field: path, message: `key ${keyProblem}` };
    }
    const found = findTextProblem(item, path);
    if (found) {
      return found;
    }
  }
  return null;
}

/**
 * One rule for every string a route reads — body, query and path parameters, at any depth — run before the
 * ValidationPipe, so no DTO has to repeat it: a 400 naming the field, before anything is written.
 */
@Injectable()
export class PlainTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') {
      return value; // values a decorator built on the server (the current user), not the client's input
    }
    const problem = findTextProblem(value, metadata.data ?? '');
    if (problem) {
      throw DomainError.validation([problem]);
    }
    return value;
  }
}
