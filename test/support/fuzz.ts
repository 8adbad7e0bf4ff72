/**
 * Building blocks of the hostile-body fuzz test (test/fuzz.e2e-spec.ts): a seeded generator, JSON texts no
 * well-behaved client sends, and a plausible body built from an OpenAPI schema for them to be put into.
 * Everything is text, so that values JSON.stringify cannot write (1e400, -0, lone surrogates) are sent as such.
 */

/** mulberry32: a small, fast, seeded generator, so every run sends the same requests. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

/** Values, as JSON text, put into a field of an otherwise plausible body. */
export const HOSTILE_VALUES: readonly string[] = [
  // not Unicode text, or text no form sends
  '"\\ud800"',
  '"trailing \\udfff"',
  '"\\udc00\\ud800"',
  '"nul\\u0000inside"',
  '"\\u0000"',
  '"bell\\u0007 escape\\u001b[31m del\\u007f"',
  '"\\u202egpj.exe"',
  '"\\ufeff\\u200b"',
  JSON.stringify('长'.repeat(70_000)),
  JSON.stringify('x'.repeat(300_000)),
  '""',
  '"   "',
  // numbers JavaScript cannot hold, or holds surprisingly
  '1e400',
  '-1e400',
  '-0',
  '18446744073709551616',
  '9007199254740993',
  '0.1e-400',
  '1.5',
  '-1',
  '"NaN"',
  '"Infinity"',
  '"-0"',
  '"1e400"',
  '"0x10"',
  // wrong types and shapes
  'true',
  'false',
  'null',
  '[]',
  '{}',
  '[null]',
  '["a","b"]',
  `[${Array.from({ length: 5000 }, () => '"00000000-0000-4000-8000-000000000000"').join(',')}]`,
  '{"nested":{"deeper":[1,{"x":"y"}]}}',
  nestedArrays(30),
  nestedArrays(200),
  nestedObjects(500),
  // prototype keys inside a value
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"constructor":{"polluted":true}}',
  '{"prototype":{"polluted":true}}',
  '[{"__proto__":{"polluted":true}}]',
  // strings that mean something elsewhere
  '"00000000-0000-0000-0000-000000000000"',
  '"FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF"',
  '"2026-02-30T25:61:00Z"',
  '"0000-00-00"',
  '"+275760-09-13T00:00:00.001Z"',
  '"../../../../etc/passwd"',
  '"\'; DROP TABLE cases; --"',
  '"=HYPERLINK(\\"http://x\\")"',
  '"<script>alert(1)</script>"',
  '"%00%ff"',
];

/** Whole bodies, as JSON text, whatever the route expects. */
export const HOSTILE_BODIES: readonly string[] = [
  nestedArrays(1300),
  nestedArrays(20000),
  nestedObjects(2400),
  nestedObjects(20000),
  '{"__proto__":{"polluted":true}}',
  '{"a":[{"b":{"__proto__":{"polluted":true}}}]}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"constructor":{"polluted":true}}',
  '{"prototype":{"polluted":true}}',
  '[]',
  'null',
  '"text"',
  '1e400',
  '-0',
  '{"a":',
  '',
  '\ufeff{}',
  '{"a":1,"a":2}',
];

type Schema = Record<string, unknown>;

/** What a well-meaning client would put in a field; ids come from `ids` by field name, or a random UUID. */
export function plausible(
  schema: Schema | undefined,
  components: Record<string, Schema>,
  field: string,
  ids: Record<string, string>,
  now: string,
): unknown {
  const resolved = resolve(schema, components);
  if (resolved.enum) {
    return (resolved.enum as unknown[])[0];
  }
  if (resolved.example !== undefined) {
    return resolved.example;
  }
  switch (resolved.type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return typeof resolved.minimum === 'number' ? resolved.minimum : 1;
    case 'array': {
      const min = typeof resolved.minItems === 'number' ? resolved.minItems : 0;
      return Array.from({ length: min }, () => plausible(resolved.items as Schema, components, field, ids, now));
    }
    case 'object': {
      const properties = (resolved.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, plausible(s, components, name, ids, now)]));
    }
    default:
      if (resolved.format === 'uuid') {
        return ids[field] ?? '7b0c4a52-6f3e-4e8a-9d55-0f1f4f3e2a10';
      }
      if (/At$|From$|To$/.test(field)) {
        return now;
      }
      return typeof resolved.minLength === 'number' ? 'p'.repeat(resolved.minLength) + '-plausible' : `plausible ${field}`;
  }
}

function resolve(schema: Schema | undefined, components: Record<string, Schema>): Schema {
  if (!schema) {
    return {};
  }
  if (typeof schema.$ref === 'string') {
    return resolve(components[schema.$ref.split('/').pop() ?? ''], components);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    return { ...resolve(schema.allOf[0] as Schema, components), ...schema, allOf: undefined };
  }
  return schema;
}

/** Every path to a value in `body` (`["conditions", "diligent"]`), objects and arrays included. */
export function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') {
    return [prefix];
  }
  const own = Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]));
  return prefix.length ? [prefix, ...own] : own;
}

/** `body` as JSON text with the value at `path` replaced by the JSON text `raw`. */
export function withRawValue(body: unknown, path: string[], raw: string): string {
  const marker = '\u0001hostile-value\u0001';
  const copy = structuredClone(body) as Record<string, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) {
    target = target[key] as Record<string, unknown>;
  }
  // defineProperty: assigning `__proto__` would set the prototype instead of adding the key.
  Object.defineProperty(target, path[path.length - 1], { value: marker, enumerable: true, writable: true, configurable: true });
  return JSON.stringify(copy).replace(JSON.stringify(marker), () => raw);
}

const CRLF = '\r\n';
const partHead = (boundary: string, disposition: string) =>
  `--${boundary}${CRLF}Content-Disposition: form-data; ${disposition}${CRLF}Content-Type: text/plain${CRLF}${CRLF}`;

/** Multipart bodies that are malformed, or well-formed with hostile names: [content type, body]. */
export const HOSTILE_MULTIPART: ReadonlyArray<readonly [string, string | Buffer]> = [
  ['multipart/form-data', 'no boundary at all'],
  ['multipart/form-data; boundary=', '--\r\n'],
  ['multipart/form-data; boundary=XYZ', ''],
  ['multipart/form-data; boundary=XYZ', 'no boundary in the body'],
  ['multipart/form-data; boundary=XYZ', `${partHead('XYZ', 'name="file"; filename="a.txt"')}cut short`],
  ['multipart/form-data; boundary=XYZ', `--XYZ${CRLF}Content-Disposition: form-da`],
  ['multipart/form-data; boundary=XYZ', `--XYZ${CRLF}${CRLF}no headers${CRLF}--XYZ--${CRLF}`],
  ['multipart/form-data; boundary=XYZ', `--XYZ${CRLF}\u0001: \u0002${CRLF}${CRLF}x${CRLF}--XYZ--`],
  ['multipart/form-data; boundary=XYZ', `${partHead('XYZ', 'name="__proto__"; filename="a.txt"')}x${CRLF}--XYZ--${CRLF}`],
  [
    'multipart/form-data; boundary=XYZ',
    `${partHead('XYZ', 'name="__proto__"')}{"polluted":true}${CRLF}${partHead('XYZ', 'name="file"; filename="a.txt"').slice(2)}x${CRLF}--XYZ--${CRLF}`,
  ],
  ['multipart/form-data; boundary=XYZ', `${partHead('XYZ', 'name="constructor"')}x${CRLF}--XYZ--${CRLF}`],
  [
    'multipart/form-data; boundary=XYZ',
    Buffer.concat([
      Buffer.from(partHead('XYZ', 'name="file"; filename="a\u0000b\ud800.txt"')),
      Buffer.from([0xed, 0xa0, 0x80, 0xff]),
      Buffer.from(`${CRLF}--XYZ--${CRLF}`),
    ]),
  ],
  ['multipart/form-data; boundary=XYZ', `${partHead('XYZ', `name="file"; filename="${'n'.repeat(10_000)}.txt"`)}x${CRLF}--XYZ--${CRLF}`],
  [
    'multipart/form-data; boundary=XYZ',
    `${partHead('XYZ', 'name="file"; filename="a.txt"')}${'x'.repeat(100)}${CRLF}--XYZ${CRLF}--XYZ--${CRLF}`,
  ],
  [
    'multipart/form-data; boundary=XYZ',
    Array.from({ length: 40 }, (_, i) => `${partHead('XYZ', `name="f${i}"`)}v`).join(CRLF) + `${CRLF}--XYZ--${CRLF}`,
  ],
  ['multipart/form-data; boundary="a"; boundary=b', `--a${CRLF}${CRLF}x${CRLF}--a--`],
  ['multipart/mixed; boundary=XYZ', `${partHead('XYZ', 'name="file"; filename="a.txt"')}x${CRLF}--XYZ--${CRLF}`],
  ['application/json', '{"file":"not a file"}'],
  ['text/plain', 'x'],
];

/** Path parameter values no client of the API produces. */
export const HOSTILE_PATH_VALUES: readonly string[] = [
  '%00',
  '%ED%A0%80',
  '%FF%FE',
  'x'.repeat(4000),
  '..%2F..%2Fetc%2Fpasswd',
  '00000000-0000-0000-0000-000000000000',
  '7B0C4A52-6F3E-4E8A-9D55-0F1F4F3E2A10',
  '__proto__',
  'constructor',
  '1e400',
];

/** Query parameter values, already percent-encoded. */
export const HOSTILE_QUERY_VALUES: readonly string[] = [
  'ab%00cd',
  '%ED%A0%80',
  '%ud800',
  '%FF',
  '%',
  '%07%1B',
  'x'.repeat(5000),
  '1e400',
  '-0',
  'NaN',
  '18446744073709551616',
  '__proto__',
  '%E2%80%AEexe.txt',
  '%27%20OR%201%3D1--',
  '%25%5F%5C',
  '',
];
