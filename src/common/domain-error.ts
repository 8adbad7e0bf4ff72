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
    return new DomainError('RULE_VIOLATION', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
  static notFound(what: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} not found`);
  }
  static forbidden(message: string): DomainError {
    return new DomainError('FORBIDDEN', message);
  }
  static conflict(message: string): DomainError {
    return new DomainError('CONFLICT', message);
  }
}

/** The HTTP status an error reaches its caller with (all-exceptions.filter.ts): a DomainError's, else 500. */
export function statusOfError(error: unknown): number {
  return error instanceof DomainError ? ERROR_STATUS[error.code] : 500;
}
