import { applyDecorators } from '@nestjs/common';
import { ApiHeader, type ApiPropertyOptions, ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';

import { ErrorBodyResponse } from './dto/error-body.response.js';

/** The error statuses a route may answer with, each described once here (the body: all-exceptions.filter.ts). */
const ERRORS = {
  400: 'invalid input: `message` and `fields` name the field; nothing was changed',
  401: 'no bearer token, or one that is invalid, expired or revoked',
  403: 'the caller’s role or scope does not allow this (or their password must be changed first)',
  404: 'not found, or outside the caller’s scope (the two are not told apart)',
  409: 'the case is not in a state that allows this',
  412: '`If-Match` names an older version of the case: read it again',
  413: 'the body (or the file) is larger than the limit',
  415: 'the file’s content is not an accepted type',
  422: 'a rule of the domain refuses it: `fields` name what',
  429: 'too many requests: wait `Retry-After` seconds',
  503: 'the service cannot answer now (shutting down, or the read took longer than its budget): try again later',
} as const;
export type ErrorStatus = keyof typeof ERRORS;

const RETRY_AFTER = { 'Retry-After': { description: 'seconds after which the request may succeed', schema: { type: 'integer' } } };

/** Documents the error answers of a route, all with the one `ErrorBody` schema. */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERRORS[status], type: ErrorBodyResponse, ...(status === 429 ? { headers: RETRY_AFTER } : {}) }),
    ),
  );
}

/** The case's version, as `If-Match` may name it. */
export const ETAG_HEADER = { ETag: { description: 'the case’s version (`"3"`); send it back as `If-Match`', schema: { type: 'string' } } };

/** The continuation headers of a list cut by `limit` (common/paging.ts), absent on the last page. */
export const NEXT_CURSOR_HEADERS = {
  'X-Next-Cursor': { description: 'the cursor of the next page; absent on the last page', schema: { type: 'string' } },
  Link: { description: 'the next page’s URL, `<…>; rel="next"` (RFC 8288); absent on the last page', schema: { type: 'string' } },
};

/** A 2xx response with its schema and headers; `type` in an array for an array body. */
export function ApiOk(options: ApiResponseOptions & { status?: 200 | 201 }): MethodDecorator {
  return ApiResponse({ status: 200, description: 'OK', ...options });
}

/** `If-Match`, on the commands that honour it (common/if-match.ts). */
export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'the case version the command expects (its `ETag`): 412 when the case has moved on',
  });

/** Any JSON value (an event's data, a replayed field's value): the schema of `unknown`. */
export const JSON_VALUE: ApiPropertyOptions = {
  nullable: true,
  anyOf: [
    { type: 'string' },
    { type: 'number' },
    { type: 'boolean' },
    { type: 'object', additionalProperties: true },
    { type: 'array', items: {} },
  ],
};
