import secureJsonParse from 'secure-json-parse';

import { DomainError } from './domain-error.js';

/**
 * How deep a JSON body may nest. The deepest body the API reads is three levels (an assessment's
 * `evidence.<factor>[i]`); class-transformer and class-validator recurse once per level, and about 1,300
 * nested arrays (2.6 kB) overflowed their stack: a 500 on every JSON route, `/auth/login` included.
 */
export const JSON_MAX_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether a JSON text nests objects and arrays deeper than `max`, by one pass over its characters
 * (brackets inside strings do not count). Malformed text is left to the parser.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i++;
      } else if (c === QUOTE) {
        inString = false;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) {
        return true;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

const refuse = (message: string) => DomainError.validation([{ field: 'body', message }]);

/**
 * Parses a JSON body as Fastify's own parser does (secure-json-parse, refusing `__proto__` and
 * `constructor.prototype` keys), behind a depth limit, so that nothing downstream — transformation,
 * validation, hashing — ever walks an unbounded nesting. Refusals are 400s naming `body`.
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) {
    throw refuse('malformed JSON (empty)');
  }
  // A text shorter than the limit cannot nest beyond it: most bodies skip the scan.
  if (text.length > JSON_MAX_DEPTH && nestsDeeperThan(text, JSON_MAX_DEPTH)) {
    throw refuse(`nested deeper than ${JSON_MAX_DEPTH} levels`);
  }
  try {
    return secureJsonParse.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    // secure-json-parse throws its own SyntaxError for prototype keys, JSON.parse one saying where the text broke.
    const poisoned = error instanceof SyntaxError && /forbidden prototype property/.test(error.message);
    throw refuse(poisoned ? 'a "__proto__" or "constructor.prototype" key is not accepted' : 'malformed JSON');
  }
}
