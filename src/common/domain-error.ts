import type { RefusalKind } from './refusal.js';

/**
 * Every refusal the service makes is a DomainError with a code; exactly one place
 * (all-exceptions.filter.ts) turns codes into HTTP statuses.
 */
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RULE_VIOLATION: 422,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  /** seconds after which a refused request may succeed: sent as `Retry-After` (429) */
  retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    /** which kind of refusal this is (refusal.ts); absent on errors that are not refusals (400, 401, 404, …) */
    readonly refusal?: RefusalKind,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static tooManyRequests(fields: FieldError[], retryAfterSeconds?: number): DomainError {
    const error = new DomainError('TOO_MANY_REQUESTS', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
  }

  static validation(fields: FieldError[]): DomainError {
    return new DomainError('VALIDATION', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
  static ruleViolation(fields: FieldError[]): DomainError {
    return new DomainError('RULE_VIOLATION', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields, 'RULE');
  }
  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} not found`);
  }
  /** A 403 and 409 always say which kind of refusal they are: the caller names it. */
  static forbidden(message: string, refusal: RefusalKind): DomainError {
    return new DomainError('FORBIDDEN', message, [], refusal);
  }
  static conflict(message: string, refusal: RefusalKind): DomainError {
    return new DomainError('CONFLICT', message, [], refusal);
  }
  /** If-Match named another version than the case's: the caller's copy is stale. */
  static preconditionFailed(message: string): DomainError {
    return new DomainError('PRECONDITION_FAILED', message, [], 'STALE_VERSION');
  }
}

/** The HTTP status an error reaches its caller with (all-exceptions.filter.ts): a DomainError's, else 500. */
export function statusOfError(error: unknown): number {
  return error instanceof DomainError ? ERROR_STATUS[error.code] : 500;
}
