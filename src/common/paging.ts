import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';

/**
 * The highest page number a paged list accepts (issue 16: no endpoint may materialise an unbounded set). Each
 * list has its own default and maximum page size beside its query DTO; a page past this is refused (400)
 * rather than turned into an OFFSET the database walks to.
 */
export const PAGE_MAX = 10_000;

/**
 * An optional whole-number query parameter within [minimum, maximum]: its OpenAPI description and its 400
 * beyond the bounds (naming the parameter) from one declaration, so every bounded list says its limits alike.
 */
export function OptionalIntParam(options: { minimum: number; maximum: number; default?: number; description?: string }): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional(options),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(options.minimum),
    Max(options.maximum),
  );
}

/**
 * Lists that stay JSON arrays (a documented contract) are cut by `limit` and continued with a cursor: the
 * next request's `after` value is sent in `X-Next-Cursor`, and the whole next URL in `Link: <…>; rel="next"`
 * (RFC 8288). Neither header is sent on the last page.
 */
export function sendNextCursor(
  reply: FastifyReply,
  path: string,
  cursorName: string,
  cursor: string | number | null,
  limit: number,
  query: object = {},
): void {
  if (cursor === null) {
    return;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && key !== cursorName && key !== 'limit') {
      params.set(key, String(value));
    }
  }
  params.set(cursorName, String(cursor));
  params.set('limit', String(limit));
  const next = `${path}?${params.toString()}`;
  void reply.header('X-Next-Cursor', String(cursor)).header('Link', `<${next}>; rel="next"`);
}

/** A slice of an ordered list and the cursor after its last item, or null when nothing follows. */
export interface Slice<T> {
  items: T[];
  next: number | null;
}

/** Cuts `rows` (read with `limit + 1`, so one more tells whether anything follows) at `limit`. */
export function sliceOf<T>(rows: T[], limit: number, cursorOf: (row: T) => number): Slice<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? cursorOf(items[items.length - 1]) : null };
}

/** The most rows one request of an array list returns: past it, `limit` is refused (400). */
export const LIST_LIMIT_MAX = 1000;
/** Without `limit`, the directory's and conflicts' arrays return this many rows: more than a small deployment has. */
export const LIST_LIMIT = 500;

/** `?offset=&limit=` of an array list ordered by a name or time; the next offset is sent as X-Next-Cursor. */
export class OffsetQuery {
  @OptionalIntParam({ default: 0, minimum: 0, maximum: 1_000_000, description: 'rows to skip (the previous page’s X-Next-Cursor)' })
  offset?: number;

  @OptionalIntParam({ default: LIST_LIMIT, minimum: 1, maximum: LIST_LIMIT_MAX })
  limit?: number;
}

/**
 * Reads one more row than asked (`read(offset, limit + 1)`), returns the asked rows and sends the next offset
 * when more follow.
 */
export async function offsetPage<T>(
  reply: FastifyReply,
  path: string,
  query: OffsetQuery,
  read: (offset: number, take: number) => Promise<T[]>,
): Promise<T[]> {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? LIST_LIMIT;
  const rows = await read(offset, limit + 1);
  sendNextCursor(reply, path, 'offset', rows.length > limit ? offset + limit : null, limit, query);
  return rows.slice(0, limit);
}
