import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { DomainError, ERROR_STATUS, type FieldError } from './domain-error.js';
import type { RefusalKind } from './refusal.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  requestId: string;
  code?: string;
  /** which kind of refusal (refusal.ts); only on refusals (403, 409, 412, 422) */
  refusal?: RefusalKind;
  fields?: FieldError[];
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Fastify's own errors (body parsing, size limits) carry a statusCode and an FST_ code. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const logger = new Logger('Errors');

/** Fastify's size-limit messages, reworded to name the field like every other 4xx (JSON parsing: json-body.ts). */
function describeFrameworkMessage(status: number, message: string, code?: string): string {
  // @fastify/multipart's limits (evidence uploads): one file of at most 10 MB, few other parts.
  if (code === 'FST_REQ_FILE_TOO_LARGE') {
    return 'file: larger than the 10 MB limit';
  }
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return 'file: send one file per request';
  }
  if (status === 413) {
    return 'body: larger than the 1 MB limit';
  }
  return message;
}

/**
 * Turns any thrown value into the contract's error body. Never leaks a stack trace or SQL: unknown
 * errors become a bare 500 and are logged with the request id.
 */
export function toErrorBody(exception: unknown, requestId: string): ErrorBody {
  if (exception instanceof DomainError) {
    const status = ERROR_STATUS[exception.code];
    return {
      statusCode: status,
      error: REASON[status],
      message: exception.message,
      requestId,
      code: exception.code,
      ...(exception.refusal ? { refusal: exception.refusal } : {}),
      ...(exception.fields.length ? { fields: exception.fields } : {}),
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body = response as { message?: unknown };
    const raw =
      typeof response === 'string'
        ? response
        : Array.isArray(body.message)
          ? body.message.join('; ')
          : typeof body.message === 'string'
            ? body.message
            : exception.message;
    return { statusCode: status, error: REASON[status] ?? 'Error', message: describeFrameworkMessage(status, raw), requestId };
  }
  const framework = exception as FrameworkError;
  if (typeof framework?.statusCode === 'number' && framework.statusCode >= 400 && framework.statusCode < 500) {
    const status = framework.statusCode;
    const message = describeFrameworkMessage(status, framework.message ?? 'bad request', framework.code);
    return { statusCode: status, error: REASON[status] ?? 'Error', message, requestId, code: framework.code };
  }
  logger.error({ err: exception, requestId }, 'unhandled error');
  return { statusCode: 500, error: REASON[500], message: 'internal error', requestId };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = toErrorBody(exception, String(request.id));
    if (exception instanceof DomainError && exception.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', String(exception.retryAfterSeconds));
    }
    void reply.status(body.statusCode).send(body);
  }
}
