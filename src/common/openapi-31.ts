/**
 * @nestjs/swagger writes OpenAPI 3.0, where `nullable: true` beside `allOf`/`anyOf` (how it writes a
 * nullable object or named enum) means nothing: 3.0.3 adds null only to an explicit `type`. So a generated
 * client and a validator would both say "never null" where the service sends null. The description is
 * served as OpenAPI 3.1 instead, where null is a type of its own: `type: [T, 'null']`, or `anyOf: [S, {type:
 * 'null'}]` for a composed schema.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function nullableOf(schema: Json): Json {
  const { nullable: _nullable, ...rest } = schema;
  if (typeof rest.type === 'string' && rest.allOf === undefined && rest.anyOf === undefined && rest.oneOf === undefined) {
    const withNull: Json = { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.enum)) {
      withNull.enum = [...(rest.enum as unknown[]), null];
    }
    return withNull;
  }
  // Composed (a $ref, allOf, anyOf or oneOf): keep the annotations outside, the alternatives inside.
  const { allOf, anyOf, oneOf, $ref, type: _type, ...annotations } = rest;
  const alternatives: unknown[] = [];
  if ($ref !== undefined) {
    alternatives.push({ $ref });
  }
  if (Array.isArray(allOf)) {
    alternatives.push(...(allOf.length === 1 ? (allOf as unknown[]) : [{ allOf }]));
  }
  if (Array.isArray(anyOf)) {
    alternatives.push(...(anyOf as unknown[]));
  }
  if (Array.isArray(oneOf)) {
    alternatives.push({ oneOf });
  }
  return { ...annotations, anyOf: [...alternatives, { type: 'null' }] };
}

/** A copy of a 3.0 document as 3.1: every `nullable: true` rewritten (above). */
export function toOpenApi31<T extends object>(document: T): T {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) {
      return value.map(walk);
    }
    if (!isObject(value)) {
      return value;
    }
    const copy: Json = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, walk(inner)]));
    if (copy.nullable === true) {
      return nullableOf(copy);
    }
    // `allOf: [{$ref}]` was 3.0's way to annotate a reference; 3.1 lets the $ref have siblings.
    const { allOf, ...rest } = copy;
    return Array.isArray(allOf) && allOf.length === 1 && isObject(allOf[0]) && Object.keys(allOf[0]).join() === '$ref'
      ? { ...rest, ...allOf[0] }
      : copy;
  };
  return { ...(walk(document) as T), openapi: '3.1.0' };
}
